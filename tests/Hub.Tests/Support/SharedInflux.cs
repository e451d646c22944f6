using FacilityHub.TestSupport;

[assembly: AssemblyFixture(typeof(FacilityHub.Hub.Tests.Support.SharedInflux))]

namespace FacilityHub.Hub.Tests.Support;

/// <summary>One influxd for the whole test assembly; every test uses its own database in it.</summary>
public sealed class SharedInflux : IAsyncLifetime
{
    private InfluxServer? _server;

    public InfluxServer Server => _server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => _server = await InfluxServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
