using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

internal sealed record LadderOptions(
    int MqttPort, Uri Influx, string Database, string Registry, IReadOnlyList<int> Rates, TimeSpan StepTime,
    TimeSpan MaxTime, int Publishers, IReadOnlyList<(string Name, int Pid)> Watch, string Label, string? Csv);

internal sealed record StepResult(
    int Target, long Sent, double SentRate, long Stored, double DrainSeconds, bool Passed, string Why,
    IReadOnlyList<(string Name, double Cores, double PeakRssMb)> Processes);

/// <summary>
/// The sustained-rate ladder. Each step publishes the city mix at a target rate for a fixed time over several
/// QoS 1 connections, then counts the step's points in InfluxDB (InfluxQL over the step's own time range).
/// A step passes when the generator kept the rate, every PUBACK was a success, and every message was stored
/// within 5 s of the last PUBACK; the ladder stops at the first failure, at the last rate or at its time bound.
/// </summary>
internal static class Ladder
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(LadderOptions o)
    {
        var registry = FacilityHub.Contracts.Sites.SiteRegistry.Load(o.Registry);
        var devices = CityMix.Devices(registry);
        var counts = devices.GroupBy(d => d.Kind).ToDictionary(g => g.Key, g => g.Count());
        Console.WriteLine($"[{o.Label}] {devices.Length:N0} devices ({counts.GetValueOrDefault(DeviceKind.Ap):N0} APs, {counts.GetValueOrDefault(DeviceKind.Shelter):N0} shelters, {counts.GetValueOrDefault(DeviceKind.Weather):N0} stations), {o.Publishers} QoS 1 connections, {o.StepTime.TotalSeconds:0} s per step");

        var publishers = new Publisher[o.Publishers];
        for (var p = 0; p < o.Publishers; p++)
        {
            publishers[p] = await Publisher.ConnectAsync(o.MqttPort, $"bench-p{p}", devices.Where((_, i) => i % o.Publishers == p).ToArray());
        }
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
            var result = await StepAsync(o, publishers, influx, rate);
            results.Add(result);
            Console.WriteLine($"[{o.Label}] {rate,7:N0} msg/s: sent {result.Sent:N0} at {result.SentRate:N0}/s, stored {result.Stored:N0}, drain {result.DrainSeconds:0.00} s, "
                + string.Join(", ", result.Processes.Select(p => $"{p.Name} {p.Cores:0.00} cores {p.PeakRssMb:0} MB")) + $" → {(result.Passed ? "pass" : "FAIL: " + result.Why)}");
            if (!result.Passed)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        foreach (var p in publishers)
        {
            await p.DisposeAsync();
        }

        var best = results.Where(r => r.Passed).Select(r => r.Target).DefaultIfEmpty(0).Max();
        Console.WriteLine($"[{o.Label}] highest passing sustained rate: {best:N0} msg/s");
        if (o.Csv is not null)
        {
            await File.AppendAllLinesAsync(o.Csv, results.Select(r => string.Join(';',
                new[] { o.Label, r.Target.ToString(CultureInfo.InvariantCulture), r.Sent.ToString(CultureInfo.InvariantCulture), r.SentRate.ToString("0", CultureInfo.InvariantCulture),
                    r.Stored.ToString(CultureInfo.InvariantCulture), r.DrainSeconds.ToString("0.00", CultureInfo.InvariantCulture), r.Passed ? "pass" : "fail", r.Why }
                .Concat(r.Processes.Select(p => FormattableString.Invariant($"{p.Name}={p.Cores:0.00}/{p.PeakRssMb:0}"))))));
        }
        // The exit code only says whether the bench ran and counted; a ladder that fails its first step still measured something.
        return results.Count > 0 ? 0 : 1;
    }

    private static async Task<StepResult> StepAsync(LadderOptions o, Publisher[] publishers, HttpClient influx, int rate)
    {
        using var watch = new ProcWatch(o.Watch);
        var firstTs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        var perPublisher = rate / (double)publishers.Length;
        var total = (long)(rate * o.StepTime.TotalSeconds);
        var sends = publishers.Select((p, i) => p.RunAsync(perPublisher, total / publishers.Length + (i < total % publishers.Length ? 1 : 0), o.StepTime + Grace)).ToArray();
        var sent = (await Task.WhenAll(sends)).Sum();
        var lastAck = clock.Elapsed;
        // CPU over the publishing phase only: the cost of sustaining this rate, not diluted by the wait for the count.
        var cpu = watch.Cores();
        var lastTs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var failed = publishers.Sum(p => p.TakeFailures());

        // Poll the count until complete or until the grace period after the last PUBACK has passed.
        long stored;
        while (true)
        {
            stored = await CountAsync(influx, o.Database, firstTs, lastTs);
            if (stored >= sent || clock.Elapsed - lastAck > Grace)
            {
                break;
            }
            await Task.Delay(250);
        }
        var done = clock.Elapsed;
        var peaks = watch.Stop();
        var processes = cpu.Zip(peaks, (c, p) => (c.Name, c.Cores, p.PeakRssMb)).ToArray();
        var sentRate = sent / lastAck.TotalSeconds;
        // Every reason that applies, so a step that was both slow to acknowledge and short of points says both.
        var reasons = new List<string>();
        if (failed > 0) reasons.Add($"{failed:N0} PUBACKs were not successes");
        if (sent < total) reasons.Add($"the generator sent {sent:N0} of {total:N0} in the time bound");
        if (sentRate < rate * 0.97) reasons.Add($"publishing only reached {sentRate:N0} msg/s (PUBACKs held back)");
        if (stored < sent) reasons.Add($"{sent - stored:N0} messages not stored within {Grace.TotalSeconds:0} s of the last PUBACK");
        if (stored > sent) reasons.Add($"{stored - sent:N0} more points than messages (overlapping steps?)");
        var why = string.Join(" and ", reasons); // not ";": the CSV for bench/table.py is ;-separated
        return new StepResult(rate, sent, sentRate, stored, (done - lastAck).TotalSeconds, why.Length == 0, why, processes);
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

/// <summary>One agent's connection: its own devices, one growing <c>seq</c>, a window of outstanding QoS 1 publishes.</summary>
internal sealed class Publisher : IAsyncDisposable
{
    // As a real agent with an outbox would have: a bounded number of unacknowledged publishes.
    private const int Window = 500;
    private readonly IMqttClient _client;
    private readonly string _agent;
    private readonly Device[] _devices;
    private readonly SemaphoreSlim _window = new(Window);
    private long _seq;
    private int _cursor;
    private long _failures;

    private Publisher(IMqttClient client, string agent, Device[] devices) => (_client, _agent, _devices) = (client, agent, devices);

    public static async Task<Publisher> ConnectAsync(int port, string agent, Device[] devices)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId($"{agent}-{Environment.ProcessId}")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(30)).Build());
        return new Publisher(client, agent, devices);
    }

    public long TakeFailures() => Interlocked.Exchange(ref _failures, 0);

    /// <summary>Publishes <paramref name="count"/> messages at <paramref name="rate"/>, bounded by <paramref name="limit"/>; returns how many got a PUBACK.</summary>
    public async Task<long> RunAsync(double rate, long count, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>((int)Math.Min(count, 1_000_000));
        long sent = 0;
        var headMs = -1L;
        byte[] head = [];
        while (sent < count && clock.Elapsed < limit)
        {
            var due = Math.Min(count, (long)(clock.Elapsed.TotalSeconds * rate) + 1);
            if (sent >= due)
            {
                await Task.Delay(1);
                continue;
            }
            while (sent < due && clock.Elapsed < limit)
            {
                var left = limit - clock.Elapsed;
                if (!_window.Wait(0) && !await _window.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero))
                {
                    break;
                }
                var now = DateTimeOffset.UtcNow;
                var ms = now.ToUnixTimeMilliseconds();
                if (ms != headMs)
                {
                    (headMs, head) = (ms, Fields.Head(DateTimeOffset.FromUnixTimeMilliseconds(ms), _agent));
                }
                var device = _devices[_cursor];
                _cursor = (_cursor + 1) % _devices.Length;
                var message = new MqttApplicationMessageBuilder().WithTopic(device.Topic)
                    .WithPayload(Fields.Payload(head, ++_seq, device.Rest)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                pending.Add(PublishAsync(message));
                sent++;
            }
        }
        await Task.WhenAll(pending);
        return sent;
    }

    private async Task PublishAsync(MqttApplicationMessage message)
    {
        try
        {
            var result = await _client.PublishAsync(message);
            if (!result.IsSuccess)
            {
                Interlocked.Increment(ref _failures);
            }
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            Interlocked.Increment(ref _failures);
        }
        finally
        {
            _window.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync();
        _client.Dispose();
        _window.Dispose();
    }
}

/// <summary>CPU (utime + stime from /proc/pid/stat) and peak RSS of named processes over one step, RSS sampled every 100 ms.</summary>
internal sealed class ProcWatch : IDisposable
{
    private readonly IReadOnlyList<(string Name, int Pid)> _processes;
    private readonly double[] _cpu0;
    private readonly double[] _peak;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;

    public ProcWatch(IReadOnlyList<(string Name, int Pid)> processes)
    {
        _processes = processes;
        _cpu0 = processes.Select(p => Proc.CpuSeconds(p.Pid)).ToArray();
        _peak = new double[processes.Count];
        _sampler = SampleAsync();
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            for (var i = 0; i < _processes.Count; i++)
            {
                _peak[i] = Math.Max(_peak[i], Proc.RssMb(_processes[i].Pid));
            }
            try
            {
                await Task.Delay(100, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Cores used by each process since the watch started.</summary>
    public IReadOnlyList<(string Name, double Cores)> Cores()
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        return _processes.Select((p, i) => (p.Name, (Proc.CpuSeconds(p.Pid) - _cpu0[i]) / seconds)).ToArray();
    }

    public IReadOnlyList<(string Name, double Cores, double PeakRssMb)> Stop()
    {
        _stop.Cancel();
        _sampler.Wait();
        var seconds = _clock.Elapsed.TotalSeconds;
        return _processes.Select((p, i) => (p.Name, (Proc.CpuSeconds(p.Pid) - _cpu0[i]) / seconds, _peak[i])).ToArray();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
