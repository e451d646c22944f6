using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

internal sealed record LadderOptions(
    int MqttPort, Uri Influx, string Database, string Registry, IReadOnlyList<int> Rates, TimeSpan StepTime,
    TimeSpan MaxTime, int Publishers, IReadOnlyList<(string Name, int Pid)> Watch, string Label, string? Csv);

internal sealed record StepResult(
    int Target, long Sent, double SentRate, long Stored, double DrainSeconds, bool Passed, string Why, IReadOnlyList<ProcFigures> Processes);

/// <summary>
/// The sustained-rate ladder. Each step publishes the city mix at a target rate for a fixed time over several
/// QoS 1 connections, then counts the step's points in InfluxDB (InfluxQL over the step's own time range).
/// A step passes when the generator kept the rate, every PUBACK was a success, and every message was stored
/// within 5 s of the last PUBACK; the ladder stops at the first failure, at the last rate or at its time bound.
/// </summary>
internal static class Ladder
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(LadderOptions o)
    {
        var devices = CityMix.Devices(FacilityHub.Contracts.Sites.SiteRegistry.Load(o.Registry));
        // The ladder's agents do not subscribe to their ack topics, as when its first figures were taken (docs/benchmarks.md).
        await using var generator = await Generator.ConnectAsync(o.MqttPort, devices, o.Publishers, "bench-p", subscribeAcks: false);
        Console.WriteLine($"[{o.Label}] {generator.Describe()}, {o.StepTime.TotalSeconds:0} s per step");
        using var influx = new HttpClient { BaseAddress = o.Influx, Timeout = TimeSpan.FromSeconds(10) };
        var results = new List<StepResult>();
        var wall = Stopwatch.StartNew();
        foreach (var rate in o.Rates)
        {
            if (wall.Elapsed + o.StepTime + Grace > o.MaxTime)
            {
                Console.WriteLine($"[{o.Label}] stopping before {rate:N0} msg/s: the ladder's time bound ({o.MaxTime.TotalSeconds:0} s) would be passed");
                break;
            }
            var result = await StepAsync(o, generator, influx, rate);
            results.Add(result);
            Console.WriteLine($"[{o.Label}] {rate,7:N0} msg/s: sent {result.Sent:N0} at {result.SentRate:N0}/s, stored {result.Stored:N0}, drain {result.DrainSeconds:0.00} s, "
                + string.Join(", ", result.Processes.Select(p => p.Describe(result.Sent))) + $" → {(result.Passed ? "pass" : "FAIL: " + result.Why)}");
            if (!result.Passed)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        var best = results.Where(r => r.Passed).Select(r => r.Target).DefaultIfEmpty(0).Max();
        Console.WriteLine($"[{o.Label}] highest passing sustained rate: {best:N0} msg/s");
        if (o.Csv is not null)
        {
            await File.AppendAllLinesAsync(o.Csv, results.Select(r => string.Join(';',
                new[] { o.Label, r.Target.ToString(CultureInfo.InvariantCulture), r.Sent.ToString(CultureInfo.InvariantCulture), r.SentRate.ToString("0", CultureInfo.InvariantCulture),
                    r.Stored.ToString(CultureInfo.InvariantCulture), r.DrainSeconds.ToString("0.00", CultureInfo.InvariantCulture), r.Passed ? "pass" : "fail", r.Why }
                .Concat(r.Processes.Select(p => p.Csv())))));
        }
        // The exit code only says whether the bench ran and counted; a ladder that fails its first step still measured something.
        return results.Count > 0 ? 0 : 1;
    }

    private static async Task<StepResult> StepAsync(LadderOptions o, Generator generator, HttpClient influx, int rate)
    {
        using var watch = new ProcWatch(o.Watch);
        var firstTs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        var total = (long)(rate * o.StepTime.TotalSeconds);
        var sent = await generator.PublishAsync(rate, total, o.StepTime + Grace);
        var lastAck = clock.Elapsed;
        // CPU and context switches over the publishing phase only: the cost of sustaining this rate, not diluted by the wait for the count.
        var figures = watch.Sample();
        var lastTs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var failed = generator.TakeFailures();

        var stored = await WaitStoredAsync(influx, o.Database, firstTs, lastTs, sent, Grace);
        var drain = clock.Elapsed - lastAck;
        var processes = watch.Stop(figures);
        var sentRate = sent / lastAck.TotalSeconds;
        // Every reason that applies, so a step that was both slow to acknowledge and short of points says both.
        var reasons = new List<string>();
        if (failed > 0) reasons.Add($"{failed:N0} PUBACKs were not successes");
        if (sent < total) reasons.Add($"the generator sent {sent:N0} of {total:N0} in the time bound");
        if (sentRate < rate * 0.97) reasons.Add($"publishing only reached {sentRate:N0} msg/s (PUBACKs held back)");
        if (stored < sent) reasons.Add($"{sent - stored:N0} messages not stored within {Grace.TotalSeconds:0} s of the last PUBACK");
        if (stored > sent) reasons.Add($"{stored - sent:N0} more points than messages (overlapping steps?)");
        var why = string.Join(" and ", reasons); // not ";": the CSV for bench/table.py is ;-separated
        return new StepResult(rate, sent, sentRate, stored, drain.TotalSeconds, why.Length == 0, why, processes);
    }

    /// <summary>
    /// Counts the points in [from, to] ms until there are <paramref name="expected"/> or <paramref name="grace"/> has
    /// passed (polled every 250 ms: InfluxDB has no way to wait for a count); returns the last count.
    /// </summary>
    public static async Task<long> WaitStoredAsync(HttpClient influx, string database, long fromMs, long toMs, long expected, TimeSpan grace)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var stored = await CountAsync(influx, database, fromMs, toMs);
            if (stored >= expected || clock.Elapsed > grace)
            {
                return stored;
            }
            await Task.Delay(250);
        }
    }

    /// <summary>Points of ap, shelter and weather in [from, to] ms, by <c>count(seq)</c>: every message carries a seq.</summary>
    public static async Task<long> CountAsync(HttpClient influx, string database, long fromMs, long toMs)
    {
        var where = FormattableString.Invariant($"WHERE time >= {fromMs * 1_000_000} AND time <= {toMs * 1_000_000}");
        var q = $"SELECT count(seq) FROM ap {where}; SELECT count(seq) FROM shelter {where}; SELECT count(seq) FROM weather {where}";
        using var response = await influx.GetAsync($"query?db={Uri.EscapeDataString(database)}&q={Uri.EscapeDataString(q)}");
        response.EnsureSuccessStatusCode();
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        long count = 0;
        foreach (var result in json.RootElement.GetProperty("results").EnumerateArray())
        {
            if (result.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"InfluxQL: {error.GetString()}");
            }
            if (result.TryGetProperty("series", out var series))
            {
                foreach (var s in series.EnumerateArray())
                {
                    count += s.GetProperty("values")[0][1].GetInt64();
                }
            }
        }
        return count;
    }
}
