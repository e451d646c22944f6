using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Sites;

internal sealed record FanoutOptions(
    HubTarget Target, int MqttPort, string Registry, int Clients, int ConnectConcurrency, TimeSpan ConnectTimeout, TimeSpan ReportInterval,
    TimeSpan Warmup, TimeSpan Window, TimeSpan Tail, int Publishers, IReadOnlyList<(string Name, int Pid)> Watch, string Label, string? Csv);

/// <summary>
/// Many live clients at once (issue 5's fan-out goal): the sample city's devices each report once per report
/// interval (the edge simulator's <c>Simulator:Interval</c>, 10 s by default) while N HubConnections from this one
/// process, all joined to every view, receive the pushes. Publish → receive over all clients in one histogram, and
/// the hub's RSS before the clients connect, once they have all joined, and again after the measured window, per client.
/// </summary>
internal static class FanoutProbe
{
    public const string Usage = """
        Bench fanout     --hub URL --hub-user NAME --hub-password-file PATH --mqtt-port N --registry PATH --watch hub=pid,...
                         [--clients 1000] [--connect-concurrency 50] [--connect-timeout-seconds 120] [--report-interval-seconds 10]
                         [--warmup-seconds 5] [--seconds 20] [--tail-seconds 2] [--publishers 4] [--label hub] [--csv PATH]
        """;

    public static readonly string[] Flags = [.. HubTarget.Flags, "mqtt-port", "registry", "clients", "connect-concurrency", "connect-timeout-seconds",
        "report-interval-seconds", "warmup-seconds", "seconds", "tail-seconds", "publishers", "watch", "label", "csv"];

    // One client's connect and join: far beyond what one takes, so only a hub that stopped answering reaches it.
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);

    public static FanoutOptions Parse(Args a)
    {
        var watch = a.Watch();
        if (!watch.Any(w => w.Name == "hub"))
        {
            throw new UsageException("--watch must name the hub (hub=PID): its RSS per client is a figure of this probe");
        }
        return new FanoutOptions(HubTarget.From(a), a.RequiredInt("mqtt-port", 1, 65535), a.ExistingFile("registry"), a.Int("clients", 1000, 1, 10_000),
            a.Int("connect-concurrency", 50, 1, 1000), TimeSpan.FromSeconds(a.Int("connect-timeout-seconds", 120, 1, 600)),
            TimeSpan.FromSeconds(a.Double("report-interval-seconds", 10, 0.01, 3600)), TimeSpan.FromSeconds(a.Int("warmup-seconds", 5, 0, 120)),
            TimeSpan.FromSeconds(a.Int("seconds", 20, 1, 300)), TimeSpan.FromSeconds(a.Int("tail-seconds", 2, 0, 60)), a.Int("publishers", 4, 1, 64), watch, a.String("label", "hub"), a.Optional("csv"));
    }

    public static async Task<int> RunAsync(FanoutOptions o)
    {
        var hubPid = o.Watch.First(w => w.Name == "hub").Pid;
        using var session = await HubSession.SignInAsync(o.Target.Hub, o.Target.User, o.Target.PasswordFile);
        var devices = CityMix.Devices(SiteRegistry.Load(o.Registry));
        var rate = devices.Length / o.ReportInterval.TotalSeconds;
        await using var generator = await Generator.ConnectAsync(o.MqttPort, devices, o.Publishers, $"bench-f{Environment.ProcessId}-", subscribeAcks: true);
        Console.WriteLine($"[fanout] {generator.Describe()}, each device once per {o.ReportInterval.TotalSeconds:0.##} s = {rate:0.#} msg/s; {o.Clients:N0} live clients on {string.Join(", ", LiveViews.All)}");

        // The load runs from before the clients connect until after the window; the bound only guards against a hang.
        using var stopLoad = new CancellationTokenSource();
        var publishing = generator.PublishAsync(rate, long.MaxValue, TimeSpan.FromMinutes(15), stopLoad.Token);
        var clients = new ConcurrentBag<LiveClient>();
        try
        {
            await Task.Delay(o.Warmup);
            var rssBefore = Proc.RssMb(hubPid);

            var connectClock = Stopwatch.StartNew();
            var (failed, firstError) = await ConnectAllAsync(o, session, clients);
            var connectSeconds = connectClock.Elapsed.TotalSeconds;
            var rssJoined = Proc.RssMb(hubPid);
            Console.WriteLine($"[fanout] {clients.Count:N0} of {o.Clients:N0} clients joined in {connectSeconds:0.0} s{(failed > 0 ? $"; {failed:N0} failed, first: {firstError}" : "")}; "
                + $"hub RSS {rssBefore:0} MB before, {rssJoined:0} MB joined");

            // A second of load after the last join before recording, so the window starts with every client settled.
            var from = Stopwatch.GetTimestamp() + Ticks.Of(TimeSpan.FromSeconds(1));
            var until = from + Ticks.Of(o.Window);
            var logs = generator.StartLogs(from, until);
            var recorder = new DeliveryRecorder(logs);
            foreach (var c in clients)
            {
                c.Record(recorder);
            }
            await Ticks.UntilAsync(from);
            IReadOnlyList<ProcFigures> figures;
            using (var watch = new ProcWatch(o.Watch))
            {
                await Ticks.UntilAsync(until);
                figures = watch.Stop();
            }
            // The tail at the same load: the window's last samples arrive from a hub in the same state.
            await Ticks.UntilAsync(until + Ticks.Of(o.Tail));
            var rssLater = Proc.RssMb(hubPid);
            await stopLoad.CancelAsync();
            await publishing;
            var failures = generator.TakeFailures();
            await recorder.WaitQuietAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

            var sent = logs.Values.Sum(l => l.Recorded);
            var expected = sent * clients.Count;
            var latency = recorder.Figures();
            var perClient = clients.IsEmpty ? 0 : (rssJoined - rssBefore) * 1024 / clients.Count;
            var perClientLater = clients.IsEmpty ? 0 : (rssLater - rssBefore) * 1024 / clients.Count;
            Console.WriteLine($"[fanout] window {o.Window.TotalSeconds:0} s: sent {sent:N0}, delivered {latency.Matched:N0} of {expected:N0} ({sent:N0} × {clients.Count:N0} clients), "
                + $"{latency.Describe()}{(failures > 0 ? $", {failures:N0} PUBACKs not successes" : "")}; hub RSS {rssLater:0} MB after the window: "
                + $"{perClient:0} KB per client when joined, {perClientLater:0} KB later; " + string.Join(", ", figures.Select(p => p.Describe(sent))));
            if (o.Csv is not null)
            {
                await File.AppendAllLinesAsync(o.Csv, [string.Join(';', new[]
                {
                    "fanout", o.Label, I(o.Clients), I(clients.Count), F(connectSeconds), F(rate), I(sent), I(expected), I(latency.Matched), I(latency.Duplicates),
                    I(latency.P50Us), I(latency.P99Us), I(latency.MaxUs), F(rssBefore), F(rssJoined), F(rssLater), I(failures),
                }.Concat(figures.Select(p => p.Csv())))]);
            }
            return clients.Count == o.Clients && latency.Matched > 0 && failures == 0 ? 0 : 1;
        }
        finally
        {
            await stopLoad.CancelAsync();
            await DisconnectAllAsync(o, clients);
        }
    }

    /// <summary>Connects and joins the clients, at most <c>ConnectConcurrency</c> at a time, each bounded, all bounded by <c>ConnectTimeout</c>.</summary>
    private static async Task<(int Failed, string? FirstError)> ConnectAllAsync(FanoutOptions o, HubSession session, ConcurrentBag<LiveClient> clients)
    {
        string? firstError = null;
        using var overall = new CancellationTokenSource(o.ConnectTimeout);
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, o.Clients), new ParallelOptions { MaxDegreeOfParallelism = o.ConnectConcurrency, CancellationToken = overall.Token },
                async (_, ct) =>
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    timeout.CancelAfter(ClientTimeout);
                    try
                    {
                        clients.Add(await LiveClient.ConnectAsync(session.Hub, session.Token, LiveViews.All, timeout.Token));
                    }
                    catch (Exception e) when (!ct.IsCancellationRequested)
                    {
                        Interlocked.CompareExchange(ref firstError, e.Message, null);
                    }
                });
        }
        catch (OperationCanceledException) when (overall.IsCancellationRequested)
        {
            firstError ??= $"connecting did not finish within {o.ConnectTimeout.TotalSeconds:0} s";
        }
        return (o.Clients - clients.Count, firstError);
    }

    private static async Task DisconnectAllAsync(FanoutOptions o, ConcurrentBag<LiveClient> clients)
    {
        using var overall = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = o.ConnectConcurrency, CancellationToken = overall.Token },
                async (c, _) => await c.DisposeAsync());
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("[fanout] the clients did not all close within 60 s; the process exit closes the rest");
        }
    }

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
