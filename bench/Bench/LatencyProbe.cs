using System.Diagnostics;
using System.Globalization;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Sites;

/// <summary>Where the hub is and how the bench signs in to it (the run's service account).</summary>
internal sealed record HubTarget(Uri Hub, string User, string PasswordFile)
{
    public static readonly string[] Flags = ["hub", "hub-user", "hub-password-file"];

    public static HubTarget From(Args a) => new(a.Url("hub"), a.Required("hub-user"), a.ExistingFile("hub-password-file"));
}

/// <summary>Stopwatch ticks and waits for a measurement window's edges (a window is timed, not a condition).</summary>
internal static class Ticks
{
    public static long Of(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public static async Task UntilAsync(long ticks)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), ticks);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }
}

internal sealed record LatencyOptions(
    HubTarget Target, int MqttPort, string Registry, IReadOnlyList<int> Rates, TimeSpan Warmup, TimeSpan Window, TimeSpan Tail,
    int Publishers, IReadOnlyList<(string Name, int Pid)> Watch, string Label, string? Csv);

internal sealed record LatencyStep(int Rate, long Sent, double Achieved, long Failures, LatencyFigures Latency, IReadOnlyList<ProcFigures> Processes);

/// <summary>
/// MQTT publish → SignalR receive at steady rates, and what the hub's CPU costs at each (issue 5's latency and
/// CPU goals). For each rate the city mix runs through a warm-up, a measured window and a tail at that rate, with
/// one live client joined to every view (as the dashboard's connection is) and each agent subscribed to its ack
/// topic (as real agents are). Only messages sent inside the window are matched, by agent and seq, against the send
/// time taken in this process just before the publish; CPU and context switches are read over the window.
/// </summary>
internal static class LatencyProbe
{
    public const string Usage = """
        Bench latency    --hub URL --hub-user NAME --hub-password-file PATH --mqtt-port N --registry PATH
                         [--rates 2000,8000] [--warmup-seconds 5] [--seconds 10] [--tail-seconds 2] [--publishers 4]
                         [--watch hub=pid,...] [--label hub] [--csv PATH]
        """;

    public static readonly string[] Flags = [.. HubTarget.Flags, "mqtt-port", "registry", "rates", "warmup-seconds", "seconds", "tail-seconds", "publishers", "watch", "label", "csv"];

    public static LatencyOptions Parse(Args a) => new(
        HubTarget.From(a), a.RequiredInt("mqtt-port", 1, 65535), a.ExistingFile("registry"), a.IntList("rates", "2000,8000", 1, 200_000),
        TimeSpan.FromSeconds(a.Int("warmup-seconds", 5, 0, 120)), TimeSpan.FromSeconds(a.Int("seconds", 10, 1, 300)),
        TimeSpan.FromSeconds(a.Int("tail-seconds", 2, 0, 60)), a.Int("publishers", 4, 1, 64), a.Watch(), a.String("label", "hub"), a.Optional("csv"));

    public static async Task<int> RunAsync(LatencyOptions o)
    {
        using var session = await HubSession.SignInAsync(o.Target.Hub, o.Target.User, o.Target.PasswordFile);
        var devices = CityMix.Devices(SiteRegistry.Load(o.Registry));
        // Agent names of this run only, so no ack or live state left from an earlier run can match one of ours.
        await using var generator = await Generator.ConnectAsync(o.MqttPort, devices, o.Publishers, $"bench-l{Environment.ProcessId}-", subscribeAcks: true);
        using var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var client = await LiveClient.ConnectAsync(session.Hub, session.Token, LiveViews.All, connecting.Token);
        Console.WriteLine($"[latency] {generator.Describe()}, agents subscribed to their acks; one live client on {string.Join(", ", LiveViews.All)}; "
            + $"per rate {o.Warmup.TotalSeconds:0} s warm-up, {o.Window.TotalSeconds:0} s measured, {o.Tail.TotalSeconds:0} s tail");

        var steps = new List<LatencyStep>();
        foreach (var rate in o.Rates)
        {
            if (!await session.WaitQuietAsync(TimeSpan.FromSeconds(60)))
            {
                Console.WriteLine("[latency] the hub's storage queue was not empty after 60 s; measuring anyway");
            }
            var step = await StepAsync(o, generator, client, rate);
            steps.Add(step);
            // Below the target the hub held PUBACKs back: the figures are then those of a saturated hub, not of this rate.
            var heldBack = step.Achieved < rate * 0.97 ? $" — below the target: PUBACKs held back" : "";
            Console.WriteLine($"[latency] {rate,7:N0} msg/s: window sent {step.Sent:N0} ({step.Achieved:N0}/s{heldBack}), {step.Latency.Describe()} "
                + $"({step.Sent - step.Latency.Matched:N0} not seen: conflated or late){(step.Failures > 0 ? $", {step.Failures:N0} PUBACKs not successes" : "")}; "
                + string.Join(", ", step.Processes.Select(p => p.Describe(step.Sent))));
        }

        if (o.Csv is not null)
        {
            await File.AppendAllLinesAsync(o.Csv, steps.Select(s => string.Join(';', new[]
                {
                    "latency", o.Label, Invariant(s.Rate), Invariant(o.Window.TotalSeconds), Invariant(s.Sent), s.Achieved.ToString("0", CultureInfo.InvariantCulture),
                    Invariant(s.Latency.Matched), Invariant(s.Latency.Duplicates), Invariant(s.Latency.P50Us), Invariant(s.Latency.P99Us), Invariant(s.Latency.MaxUs), Invariant(s.Failures),
                }.Concat(s.Processes.Select(p => p.Csv())))));
        }
        // A probe that matched nothing measured nothing: that is the harness failing, not the hub being slow.
        return steps.All(s => s.Latency.Matched > 0 && s.Failures == 0) ? 0 : 1;
    }

    private static async Task<LatencyStep> StepAsync(LatencyOptions o, Generator generator, LiveClient client, int rate)
    {
        var from = Stopwatch.GetTimestamp() + Ticks.Of(o.Warmup);
        var until = from + Ticks.Of(o.Window);
        var logs = generator.StartLogs(from, until);
        var recorder = new DeliveryRecorder(logs);
        client.Record(recorder);
        // The generator keeps the rate through the tail, so the window's last samples reach the client from a hub
        // still in the same steady state; the bound leaves room for PUBACKs held back.
        var duration = o.Warmup + o.Window + o.Tail;
        var publishing = generator.PublishAsync(rate, (long)(rate * duration.TotalSeconds), duration + Ladder.Grace);

        await Ticks.UntilAsync(from);
        IReadOnlyList<ProcFigures> figures;
        using (var watch = new ProcWatch(o.Watch))
        {
            await Ticks.UntilAsync(until);
            figures = watch.Stop();
        }
        await publishing;
        var failures = generator.TakeFailures();
        // Samples later than the tail still count, until the pushes stop.
        await recorder.WaitQuietAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        client.Record(null);
        var sent = logs.Values.Sum(l => l.Recorded);
        return new LatencyStep(rate, sent, sent / o.Window.TotalSeconds, failures, recorder.Figures(), figures);
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
