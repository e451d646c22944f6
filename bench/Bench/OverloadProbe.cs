using System.Diagnostics;
using System.Globalization;
using FacilityHub.Contracts.Sites;

internal sealed record OverloadOptions(
    int MqttPort, Uri Influx, string Database, string Registry, int Rate, double Factor, TimeSpan Duration, int Publishers, TimeSpan AckTimeout,
    IReadOnlyList<(string Name, int Pid)> Watch, string Label, string? Csv);

/// <summary>
/// The embedded broker above the sustained rate (issue 5): the city mix offered at <c>factor</c> × the sustained rate
/// for a while, every agent subscribed (QoS 1) to its ack topic as real agents are. The hub holds PUBACKs back when it
/// cannot keep up, so the rate reached is below the offer; what must hold is that nothing is lost: every PUBACK a
/// success, every seq acknowledged on the agent's ack topic within the ack timeout, and every message published
/// counted in InfluxDB once the acks are in (the hub acknowledges only after InfluxDB's 2xx). How many were stored
/// within 5 s of the last PUBACK (the ladder's rule) is reported beside it: under overload that says late, not lost.
/// </summary>
internal static class OverloadProbe
{
    public const string Usage = """
        Bench overload   --mqtt-port N --influx URL --db NAME --registry PATH --rate N [--factor 1.2] [--seconds 10] [--publishers 4]
                         [--ack-timeout-seconds 30] [--watch name=pid,...] [--label hub] [--csv PATH]
                         (--rate: the sustained rate, e.g. the ladder's figure; the offer is rate × factor)
        """;

    public static readonly string[] Flags = ["mqtt-port", "influx", "db", "registry", "rate", "factor", "seconds", "publishers", "ack-timeout-seconds", "watch", "label", "csv"];

    public static OverloadOptions Parse(Args a) => new(
        a.RequiredInt("mqtt-port", 1, 65535), a.Url("influx"), a.Required("db"), a.ExistingFile("registry"), a.RequiredInt("rate", 1, 200_000),
        a.Double("factor", 1.2, 0.1, 10), TimeSpan.FromSeconds(a.Int("seconds", 10, 1, 300)), a.Int("publishers", 4, 1, 64),
        TimeSpan.FromSeconds(a.Int("ack-timeout-seconds", 30, 1, 600)), a.Watch(), a.String("label", "hub"), a.Optional("csv"));

    public static async Task<int> RunAsync(OverloadOptions o)
    {
        var devices = CityMix.Devices(SiteRegistry.Load(o.Registry));
        // Agent names of this run only: seqs start at 1 on every connection, so an ack left from an earlier run must not match.
        await using var generator = await Generator.ConnectAsync(o.MqttPort, devices, o.Publishers, $"bench-o{Environment.ProcessId}-", subscribeAcks: true);
        using var influx = new HttpClient { BaseAddress = o.Influx, Timeout = TimeSpan.FromSeconds(10) };
        var offer = (int)Math.Round(o.Rate * o.Factor);
        var total = (long)(offer * o.Duration.TotalSeconds);
        Console.WriteLine($"[overload] {generator.Describe()}, agents subscribed to their acks; offering {offer:N0} msg/s ({o.Factor:0.##} × {o.Rate:N0}) for {o.Duration.TotalSeconds:0} s");

        using var watch = new ProcWatch(o.Watch);
        var firstTs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        // Bounded by the duration: what the held-back PUBACKs did not let out in time is not sent (the achieved rate says it).
        var sent = await generator.PublishAsync(offer, total, o.Duration);
        var lastAck = clock.Elapsed;
        var figures = watch.Sample();
        var lastTs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var failures = generator.TakeFailures();
        var achieved = sent / lastAck.TotalSeconds;

        var stored = await Ladder.WaitStoredAsync(influx, o.Database, firstTs, lastTs, sent, Ladder.Grace);
        var storedAfter = clock.Elapsed - lastAck;
        // Every publisher's seqs run 1..LastSeq on this connection: wait for all of them, one deadline for all.
        var allAcked = true;
        foreach (var p in generator.Publishers)
        {
            var left = o.AckTimeout - (clock.Elapsed - lastAck);
            allAcked &= left > TimeSpan.Zero && await p.Acks!.WaitForAsync(p.LastSeq, left);
        }
        var ackedAfter = clock.Elapsed - lastAck;
        var storedInTheEnd = stored < sent ? await Ladder.CountAsync(influx, o.Database, firstTs, lastTs) : stored;
        var processes = watch.Stop(figures);
        var acks = generator.Publishers.Select(p => p.Acks!.Figures()).ToArray();
        var acked = acks.Sum(a => a.Acked);

        var reasons = new List<string>();
        if (failures > 0) reasons.Add($"{failures:N0} PUBACKs were not successes");
        if (storedInTheEnd < sent) reasons.Add($"{sent - storedInTheEnd:N0} messages not stored {ackedAfter.TotalSeconds:0.0} s after the last PUBACK");
        if (storedInTheEnd > sent) reasons.Add($"{storedInTheEnd - sent:N0} more points than messages (another writer in the time range?)");
        if (!allAcked || acked < sent) reasons.Add($"{sent - acked:N0} seqs not acknowledged within {o.AckTimeout.TotalSeconds:0} s of the last PUBACK");
        if (acks.Sum(a => a.Unsent) > 0) reasons.Add($"{acks.Sum(a => a.Unsent):N0} acknowledged seqs were never sent");
        if (acks.Sum(a => a.Malformed) > 0) reasons.Add($"{acks.Sum(a => a.Malformed):N0} malformed acks or ranges");
        var why = string.Join(" and ", reasons);
        var maxRanges = acks.Max(a => a.MaxRanges);
        var maxBytes = acks.Max(a => a.MaxBytes);
        // A real agent refuses an ack beyond these whole (src/Edge/Outbox/AckParser.cs): the bench counts it, an agent would re-send.
        var agentWouldRefuse = maxRanges > AckLedger.AgentMaxRanges || maxBytes > AckLedger.AgentMaxPayloadBytes;

        Console.WriteLine($"[overload] offered {offer:N0} msg/s, achieved {achieved:N0} msg/s (PUBACKs held back: {(achieved < offer * 0.97 ? "yes" : "no")}); "
            + $"published {sent:N0} of {total:N0}, PUBACK failures {failures:N0}, stored {stored:N0} ({storedAfter.TotalSeconds:0.00} s after the last PUBACK), "
            + $"acknowledged {acked:N0} ({ackedAfter.TotalSeconds:0.00} s), stored in the end {storedInTheEnd:N0}, missing {Math.Max(0, sent - storedInTheEnd):N0}; acks: {acks.Sum(a => a.Messages):N0} messages, "
            + $"largest {maxRanges:N0} ranges / {maxBytes:N0} bytes{(agentWouldRefuse ? " (an agent's parser would refuse it)" : "")}, {acks.Sum(a => a.Duplicates):N0} seqs acknowledged twice; "
            + string.Join(", ", processes.Select(p => p.Describe(sent))) + $" → {(why.Length == 0 ? "pass" : "FAIL: " + why)}");
        if (o.Csv is not null)
        {
            await File.AppendAllLinesAsync(o.Csv, [string.Join(';', new[]
            {
                "overload", o.Label, I(o.Rate), F(o.Factor), I(offer), I(total), I(sent), F(achieved), I(failures), I(stored), F(storedAfter.TotalSeconds),
                I(storedInTheEnd), I(acked), F(ackedAfter.TotalSeconds), I(maxRanges), I(maxBytes), I(acks.Sum(a => a.Duplicates)), why.Length == 0 ? "pass" : "fail", why,
            }.Concat(processes.Select(p => p.Csv())))]);
        }
        // The exit code says the probe ran and counted; bench/table.py judges the pass rule.
        return 0;
    }

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
