using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Sites;

internal sealed record StartupOptions(
    Uri Hub, int MqttPort, TimeSpan Timeout, TimeSpan Load, string? Registry, HubTarget? Target, TimeSpan ReportInterval, int Publishers,
    string? Log, string Label, string? Csv, IReadOnlyList<string> Command);

/// <summary>
/// Start-up and footprint (issue 5): runs the hub command itself so the clock starts at the process start, and polls
/// until <c>/healthz</c> answers 200 (broker up and InfluxDB reachable) and the MQTT port accepts a TCP connection:
/// start-up is when both are true. Then, with <c>--load-seconds</c>, a dashboard-like live client (every view, the
/// snapshot loaded once) and the sample city's load for that long, and the hub's RSS at the end. Then the hub is
/// asked to stop (SIGTERM), and killed if it has not within 20 s.
/// </summary>
internal static class StartupProbe
{
    public const string Usage = """
        Bench startup    --hub URL --mqtt-port N [--timeout-seconds 30] [--load-seconds 20 --registry PATH --hub-user NAME
                         --hub-password-file PATH] [--report-interval-seconds 10] [--publishers 4] [--log PATH] [--label hub]
                         [--csv PATH] -- COMMAND [ARG...]     (the hub's command line; this starts and stops it)
        """;

    public static readonly string[] Flags = [.. HubTarget.Flags, "mqtt-port", "timeout-seconds", "load-seconds", "registry", "report-interval-seconds",
        "publishers", "log", "label", "csv"];

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    public static StartupOptions Parse(Args a)
    {
        if (a.Rest.Count == 0)
        {
            throw new UsageException("the hub's command line is missing after --");
        }
        var load = TimeSpan.FromSeconds(a.Int("load-seconds", 20, 0, 600));
        return new StartupOptions(a.Url("hub"), a.RequiredInt("mqtt-port", 1, 65535), TimeSpan.FromSeconds(a.Int("timeout-seconds", 30, 1, 600)), load,
            load > TimeSpan.Zero ? a.ExistingFile("registry") : null, load > TimeSpan.Zero ? HubTarget.From(a) : null,
            TimeSpan.FromSeconds(a.Double("report-interval-seconds", 10, 0.01, 3600)), a.Int("publishers", 4, 1, 64), a.Optional("log"),
            a.String("label", "hub"), a.Optional("csv"), a.Rest);
    }

    public static async Task<int> RunAsync(StartupOptions o)
    {
        var psi = new ProcessStartInfo(o.Command[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in o.Command.Skip(1))
        {
            psi.ArgumentList.Add(arg);
        }
        await using var log = o.Log is null ? null : new StreamWriter(o.Log, append: true) { AutoFlush = true };
        var logGate = new Lock();
        void Write(string? line)
        {
            if (line is not null && log is not null)
            {
                lock (logGate)
                {
                    log.WriteLine(line);
                }
            }
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {o.Command[0]}");
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // The hub is our child, not the script's: if this process is interrupted, it must not be left running.
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => KillQuietly(process));
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillQuietly(process));
        try
        {
            var (health, mqtt) = await WaitReadyAsync(o, process, clock);
            if (health is null || mqtt is null)
            {
                Console.WriteLine($"[startup] not ready within {o.Timeout.TotalSeconds:0} s (healthz {Ms(health)}, MQTT {Ms(mqtt)}){(process.HasExited ? $"; the hub exited with {process.ExitCode}" : "")}; see {o.Log ?? "its output (--log)"}");
                return 1;
            }
            var ready = health > mqtt ? health.Value : mqtt.Value;
            var cpuAtReady = Proc.CpuSeconds(process.Id);
            var rssAtReady = Proc.RssMb(process.Id);
            Console.WriteLine($"[startup] ready in {ready.TotalMilliseconds:N0} ms (healthz 200 at {Ms(health)}, MQTT accepting at {Ms(mqtt)}); {cpuAtReady:0.00} s of CPU, RSS {rssAtReady:0} MB");

            var footprint = o.Load > TimeSpan.Zero ? await LoadAsync(o, process.Id) : null;
            var stopClock = Stopwatch.StartNew();
            var stopped = await StopAsync(process);
            Console.WriteLine($"[startup] {(stopped ? "stopped" : "killed: it did not stop")} {stopClock.Elapsed.TotalMilliseconds:N0} ms after SIGTERM");
            if (o.Csv is not null)
            {
                await File.AppendAllLinesAsync(o.Csv, [string.Join(';', "startup", o.Label, F(ready.TotalMilliseconds), F(health.Value.TotalMilliseconds), F(mqtt.Value.TotalMilliseconds),
                    F(cpuAtReady), F(rssAtReady), F(o.Load.TotalSeconds), F(footprint?.Rate ?? 0), F(footprint?.RssAfter ?? 0), F(footprint?.PeakRss ?? 0),
                    (footprint?.Latency.Matched ?? 0).ToString(CultureInfo.InvariantCulture), (footprint?.Latency.P99Us ?? 0).ToString(CultureInfo.InvariantCulture),
                    F(footprint?.Cores ?? 0), F(stopClock.Elapsed.TotalMilliseconds))]);
            }
            return footprint is null || (footprint.Latency.Matched > 0 && footprint.Failures == 0) ? 0 : 1;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Polls both conditions every 10 ms until both hold, the hub exits, or the timeout; the times at which each first held.</summary>
    private static async Task<(TimeSpan? Health, TimeSpan? Mqtt)> WaitReadyAsync(StartupOptions o, Process process, Stopwatch clock)
    {
        using var http = new HttpClient { BaseAddress = o.Hub, Timeout = TimeSpan.FromSeconds(2) };
        TimeSpan? health = null;
        TimeSpan? mqtt = null;
        while ((health is null || mqtt is null) && clock.Elapsed < o.Timeout && !process.HasExited)
        {
            if (health is null && await AnswersHealthyAsync(http))
            {
                health = clock.Elapsed;
            }
            if (mqtt is null && await AcceptsAsync(o.MqttPort))
            {
                mqtt = clock.Elapsed;
            }
            if (health is null || mqtt is null)
            {
                await Task.Delay(10);
            }
        }
        return (health, mqtt);
    }

    private static async Task<bool> AnswersHealthyAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync(HubRoutes.Health.TrimStart('/'));
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private sealed record Footprint(double Rate, double RssAfter, double PeakRss, double Cores, long Failures, LatencyFigures Latency);

    /// <summary>The dashboard-like client and the sample city's load for <c>Load</c>; the hub's RSS at the end.</summary>
    private static async Task<Footprint> LoadAsync(StartupOptions o, int hubPid)
    {
        using var session = await HubSession.SignInAsync(o.Hub, o.Target!.User, o.Target.PasswordFile);
        var devices = CityMix.Devices(SiteRegistry.Load(o.Registry!));
        var rate = devices.Length / o.ReportInterval.TotalSeconds;
        await using var generator = await Generator.ConnectAsync(o.MqttPort, devices, o.Publishers, $"bench-s{Environment.ProcessId}-", subscribeAcks: true);
        using var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var client = await LiveClient.ConnectAsync(session.Hub, session.Token, LiveViews.All, connecting.Token);
        // As the dashboard does after every (re)connect.
        _ = await session.Http.GetFromJsonAsync<System.Text.Json.JsonElement>(HubRoutes.Latest.TrimStart('/'));

        // Deliveries are matched over the load but its first 2 s: a check that the client really receives, at this load.
        var from = Stopwatch.GetTimestamp() + Ticks.Of(TimeSpan.FromSeconds(2));
        var recorder = new DeliveryRecorder(generator.StartLogs(from, from + Ticks.Of(o.Load)));
        client.Record(recorder);
        IReadOnlyList<ProcFigures> figures;
        using (var watch = new ProcWatch([("hub", hubPid)]))
        {
            await generator.PublishAsync(rate, (long)Math.Ceiling(rate * o.Load.TotalSeconds), o.Load + Ladder.Grace);
            figures = watch.Stop();
        }
        var failures = generator.TakeFailures();
        var rssAfter = Proc.RssMb(hubPid);
        await recorder.WaitQuietAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        var latency = recorder.Figures();
        Console.WriteLine($"[startup] after {o.Load.TotalSeconds:0} s at the sample city's load ({generator.Describe()}, {rate:0.#} msg/s) with a dashboard-like client: "
            + $"hub RSS {rssAfter:0} MB (peak {figures[0].PeakRssMb:0} MB), {figures[0].Cores:0.000} cores; client {latency.Describe()}");
        return new Footprint(rate, rssAfter, figures[0].PeakRssMb, figures[0].Cores, failures, latency);
    }

    /// <summary>SIGTERM (a graceful stop, as systemd or docker would ask), then SIGKILL after <see cref="StopTimeout"/>; true when it stopped by itself.</summary>
    private static async Task<bool> StopAsync(Process process)
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            if (kill is not null)
            {
                using var killTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await kill.WaitForExitAsync(killTimeout.Token);
            }
        }
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return false;
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }
    }

    private static string Ms(TimeSpan? t) => t is { } v ? $"{v.TotalMilliseconds:N0} ms" : "never";

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
