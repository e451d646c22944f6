using System.Globalization;
using FacilityHub.Edge.Outbox;
using FacilityHub.Edge.Publishing;
using FacilityHub.Edge.Simulation;
using FacilityHub.Edge.Sites;
using FacilityHub.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FacilityHub.Edge.Tests.Support;

/// <summary>
/// The edge agent's real services (registry, MQTT connection, outbox, simulator) in a host inside the
/// test, so a test can look into the outbox while the agent runs. Every log line is kept; the test
/// fails if any was an error.
/// </summary>
internal sealed class EdgeHost : IAsyncDisposable
{
    private readonly IHost _host;

    private EdgeHost(IHost host, CollectingLoggerProvider logs)
    {
        _host = host;
        Logs = logs;
    }

    public CollectingLoggerProvider Logs { get; }

    public OutboxStore Outbox => _host.Services.GetRequiredService<OutboxStore>();

    public static async Task<EdgeHost> StartAsync(int mqttPort, string agentId, string outboxPath, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Mqtt:Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
            ["Agent:Id"] = agentId,
            ["Sites:RegistryPath"] = RepoPaths.SampleRegistry,
            ["Outbox:Path"] = outboxPath,
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(values);
        var logs = new CollectingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        builder.Services.AddSiteRegistry().AddMqttPublishing().AddOutbox().AddSimulator();
        var host = builder.Build();
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new EdgeHost(host, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        Assert.Empty(Logs.At(LogLevel.Error).Concat(Logs.At(LogLevel.Critical)));
    }
}
