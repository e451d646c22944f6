namespace FacilityHub.TestSupport;

/// <summary>Debian's mosquitto on a free loopback port with its own config and persistence directory.</summary>
public sealed class MosquittoServer : IAsyncDisposable
{
    private readonly TempDir _dir = new("mosquitto");
    private ServerProcess? _process;

    private MosquittoServer(int port) => Port = port;

    public int Port { get; }

    public string Host => "127.0.0.1";

    public string Output => _process?.Output ?? "";

    /// <summary>Starts a broker; <paramref name="extraConfig"/> lines are appended (auth, ACL, …).</summary>
    public static async Task<MosquittoServer> StartAsync(string extraConfig = "allow_anonymous true")
    {
        var server = new MosquittoServer(Ports.GetFree());
        // Started as root, mosquitto drops to the "mosquitto" user and can then neither write persistence
        // nor read a password file in the test's private temp directory; as anyone else it ignores this.
        await File.WriteAllTextAsync(server._dir.Combine("mosquitto.conf"), $"""
            user {Environment.UserName}
            listener {server.Port} 127.0.0.1
            persistence true
            persistence_location {server._dir.Path}/
            autosave_interval 1
            log_dest stdout
            log_type error
            log_type warning
            log_type notice
            max_queued_messages 0
            {extraConfig}
            """);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>
    /// Anonymous clients refused; users and ACL from the files <c>mosquitto-auth</c> wrote into
    /// <paramref name="authDir"/>; the client id replaced by the username, as the README recommends.
    /// Mosquitto 2.0.11 with <c>max_queued_messages 0</c> disconnects a client right after refusing one of its
    /// publishes (it takes the refusal for an exceeded quota), so this broker has a finite limit instead.
    /// </summary>
    public static Task<MosquittoServer> StartWithAuthAsync(string authDir) => StartAsync($"""
        allow_anonymous false
        password_file {Path.Combine(authDir, "passwd")}
        acl_file {Path.Combine(authDir, "acl")}
        use_username_as_clientid true
        max_queued_messages 1000000
        """);

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartProcessAsync();
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>SIGKILL, then the same broker (port, config, persistence file) again after <paramref name="downtime"/>.</summary>
    public async Task KillAndRestartAsync(TimeSpan downtime)
    {
        await KillAsync();
        await Task.Delay(downtime);
        await StartProcessAsync();
    }

    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _dir.Dispose();
    }

    private async Task StartProcessAsync()
    {
        _process = ServerProcess.Start("mosquitto", "/usr/sbin/mosquitto", ["-c", _dir.Combine("mosquitto.conf")]);
        await Wait.UntilAsync(
            async () => _process.HasExited ? throw new InvalidOperationException($"mosquitto exited: {_process.Output}") : await Ports.IsOpenAsync(Port),
            $"mosquitto to listen on {Port}");
    }
}
