using System.Globalization;

namespace FacilityHub.TestSupport;

/// <summary>Debian's redis-server on a free loopback port, no persistence.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly TempDir _dir;
    private readonly ServerProcess _process;

    private RedisServer(int port, TempDir dir, ServerProcess process)
    {
        Port = port;
        _dir = dir;
        _process = process;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var port = Ports.GetFree();
        var dir = new TempDir("redis");
        var process = ServerProcess.Start("redis", "/usr/bin/redis-server",
            ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", dir.Path, "--save", "", "--appendonly", "no"]);
        var server = new RedisServer(port, dir, process);
        await Wait.UntilAsync(
            async () => process.HasExited ? throw new InvalidOperationException($"redis exited: {process.Output}") : await Ports.IsOpenAsync(port),
            $"redis to listen on {port}");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _dir.Dispose();
    }
}
