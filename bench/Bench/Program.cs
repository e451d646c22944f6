using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Sites;
using MQTTnet;
using MQTTnet.Protocol;

// Whole-path figures against a running hub (bench/run.sh starts influxd and the hub, then this):
//   throughput: messages published at QoS 1 by several connections until every one is stored in InfluxDB;
//   latency: MQTT publish → SignalR client receive at a steady low rate.
// Every loop is bounded in count and time; only loopback addresses are used.

if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
{
    return await Modes.RunAsync(args[0], args[1..]);
}

var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: Bench --hub http://127.0.0.1:5080 --hub-user NAME --hub-password-file PATH --mqtt-port 1883 --registry config/sites.hitachi.json --hub-pid N [--messages 200000] [--publishers 4] [--latency-rate 200] [--latency-seconds 10]");
    return 2;
}

var registry = SiteRegistry.Load(options.Registry);
var aps = registry.AccessPoints.ToArray();
using var http = new HttpClient { BaseAddress = options.Hub };
// A service account (bench/run.sh makes one): /api/stats and every live view need a signed-in caller with a role that sees them.
var token = await HubSignIn.TokenAsync(http, options.HubUser, (await File.ReadAllTextAsync(options.HubPasswordFile)).Trim());
http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
var throughput = await Throughput.RunAsync(options, aps, http);
var latency = await Latency.RunAsync(options, aps, token);

Console.WriteLine();
Console.WriteLine("| figure | value |");
Console.WriteLine("|---|---|");
Console.WriteLine($"| messages published (QoS 1, {options.Publishers} connections) | {options.Messages:N0} |");
Console.WriteLine($"| publish rate (all PUBACKs received) | {throughput.PublishRate:N0} msg/s |");
Console.WriteLine($"| end-to-end rate (first publish → all stored in InfluxDB) | {throughput.StoredRate:N0} msg/s |");
Console.WriteLine($"| stored / rejected | {throughput.Stored:N0} / {throughput.Rejected:N0} |");
Console.WriteLine($"| last publish → all stored | {throughput.DrainSeconds:0.00} s |");
Console.WriteLine($"| hub CPU during throughput run | {throughput.HubCores:0.00} cores |");
Console.WriteLine($"| hub RSS peak / after | {throughput.HubPeakRssMb:0} MB / {throughput.HubRssAfterMb:0} MB |");
Console.WriteLine($"| publish → SignalR receive at {options.LatencyRate} msg/s: p50 / p99 / max | {latency.P50:0.0} / {latency.P99:0.0} / {latency.Max:0.0} ms ({latency.Count:N0} samples) |");
return throughput.Stored == options.Messages && throughput.Rejected == 0 ? 0 : 1;

internal sealed record BenchOptions(Uri Hub, string HubUser, string HubPasswordFile, int MqttPort, string Registry, int HubPid, int Messages, int Publishers, int LatencyRate, int LatencySeconds)
{
    public static BenchOptions? Parse(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return null;
            }
            map[args[i][2..]] = args[i + 1];
        }
        try
        {
            return new BenchOptions(
                new Uri(map["hub"]),
                map["hub-user"],
                map["hub-password-file"],
                int.Parse(map["mqtt-port"], CultureInfo.InvariantCulture),
                map["registry"],
                int.Parse(map["hub-pid"], CultureInfo.InvariantCulture),
                int.Parse(map.GetValueOrDefault("messages", "200000"), CultureInfo.InvariantCulture),
                int.Parse(map.GetValueOrDefault("publishers", "4"), CultureInfo.InvariantCulture),
                int.Parse(map.GetValueOrDefault("latency-rate", "200"), CultureInfo.InvariantCulture),
                int.Parse(map.GetValueOrDefault("latency-seconds", "10"), CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or UriFormatException)
        {
            Console.Error.WriteLine(e.Message);
            return null;
        }
    }
}

internal sealed record Stats(long Received, long Accepted, long Rejected, long Stored);

internal static class Payload
{
    public static byte[] Ap(DateTimeOffset ts, long seq, int clients) => Encoding.UTF8.GetBytes(
        $$"""{"ts":"{{TimestampJsonConverter.ToWire(ts)}}","agent":"bench","seq":{{seq}},"status":"up","clients2g":{{clients % 40}},"clients5g":{{clients}},"channelUtil2gPct":42.5,"channelUtil5gPct":18.0,"rxBps":1234567,"txBps":2345678,"noiseDbm":-92,"uptimeS":86400}""");

    public static async Task<IMqttClient> ConnectAsync(int port, string id)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(id)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(30)).Build());
        return client;
    }

    public static MqttApplicationMessage Message(string topic, byte[] payload) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
}

internal sealed record ThroughputResult(double PublishRate, double StoredRate, long Stored, long Rejected, double DrainSeconds, double HubCores, double HubPeakRssMb, double HubRssAfterMb);

internal static class Throughput
{
    public static async Task<ThroughputResult> RunAsync(BenchOptions o, AccessPoint[] aps, HttpClient http)
    {
        var before = (await http.GetFromJsonAsync<Stats>("api/stats"))!;
        // Points an hour in the past, one millisecond apart: each message is its own point, so counts are exact.
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000 - o.Messages);
        var payloads = new (string Topic, byte[] Body)[o.Messages];
        for (var i = 0; i < o.Messages; i++)
        {
            var ap = aps[i % aps.Length];
            payloads[i] = ($"fh/v1/ap/{ap.Site}/{ap.Id}", Payload.Ap(start.AddMilliseconds(i), i, i % 100));
        }
        var clients = new IMqttClient[o.Publishers];
        for (var p = 0; p < o.Publishers; p++)
        {
            clients[p] = await Payload.ConnectAsync(o.MqttPort, $"bench-{p}-{Environment.ProcessId}");
        }

        var peakRss = 0.0;
        using var sampling = new CancellationTokenSource();
        async Task SampleRssAsync()
        {
            while (!sampling.IsCancellationRequested)
            {
                peakRss = Math.Max(peakRss, Proc.RssMb(o.HubPid));
                await Task.Delay(100);
            }
        }
        var sampler = SampleRssAsync();

        var cpu0 = Proc.CpuSeconds(o.HubPid);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, o.Publishers).Select(p => PublishSliceAsync(clients[p], payloads, p, o.Publishers)));
        var published = clock.Elapsed;

        Stats now;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        do
        {
            await Task.Delay(20, deadline.Token);
            now = (await http.GetFromJsonAsync<Stats>("api/stats"))!;
        }
        while (now.Stored - before.Stored < o.Messages);
        var stored = clock.Elapsed;
        var cpu = Proc.CpuSeconds(o.HubPid) - cpu0;
        await sampling.CancelAsync();
        await sampler;

        foreach (var c in clients)
        {
            await c.DisconnectAsync();
            c.Dispose();
        }
        return new ThroughputResult(
            o.Messages / published.TotalSeconds,
            o.Messages / stored.TotalSeconds,
            now.Stored - before.Stored,
            now.Rejected - before.Rejected,
            (stored - published).TotalSeconds,
            cpu / stored.TotalSeconds,
            peakRss,
            Proc.RssMb(o.HubPid));
    }

    private static async Task PublishSliceAsync(IMqttClient client, (string Topic, byte[] Body)[] payloads, int slice, int slices)
    {
        // A window of outstanding QoS 1 publishes per connection, as a real agent with an outbox would have.
        const int Window = 500;
        using var window = new SemaphoreSlim(Window);
        var pending = new List<Task>();
        for (var i = slice; i < payloads.Length; i += slices)
        {
            await window.WaitAsync();
            pending.Add(PublishOneAsync(client, payloads[i], window));
        }
        await Task.WhenAll(pending);
    }

    private static async Task PublishOneAsync(IMqttClient client, (string Topic, byte[] Body) p, SemaphoreSlim window)
    {
        try
        {
            var result = await client.PublishAsync(Payload.Message(p.Topic, p.Body));
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException($"PUBACK {result.ReasonCode}");
            }
        }
        finally
        {
            window.Release();
        }
    }
}

internal sealed record LatencyResult(double P50, double P99, double Max, long Count);

internal static class Latency
{
    public static async Task<LatencyResult> RunAsync(BenchOptions o, AccessPoint[] aps, string token)
    {
        // The probes' matching (LiveProbe.cs): send times by seq in this process, matched by the live state's agent and seq.
        var log = new SendLog(0, long.MaxValue);
        var recorder = new DeliveryRecorder(new Dictionary<string, SendLog>(StringComparer.Ordinal) { ["latency"] = log });
        using var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var live = await LiveClient.ConnectAsync(o.Hub, token, [LiveViews.Aps], connecting.Token);
        live.Record(recorder);
        var client = await Payload.ConnectAsync(o.MqttPort, $"bench-latency-{Environment.ProcessId}");

        var total = o.LatencyRate * o.LatencySeconds;
        var interval = TimeSpan.FromSeconds(1.0 / o.LatencyRate);
        using var timer = new PeriodicTimer(interval);
        for (var i = 0; i < total; i++)
        {
            await timer.WaitForNextTickAsync();
            var ap = aps[i % aps.Length];
            // Seqs from 1: a send log slot holding 0 is an empty one.
            var seq = i + 1;
            var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Payload.Ap(DateTimeOffset.UtcNow, seq, i % 100)).Replace("\"bench\"", "\"latency\"", StringComparison.Ordinal));
            var message = Payload.Message($"fh/v1/ap/{ap.Site}/{ap.Id}", body);
            log.Sent(seq, Stopwatch.GetTimestamp());
            await client.PublishAsync(message);
        }
        await recorder.WaitQuietAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        await client.DisconnectAsync();
        client.Dispose();
        // Conflation means a device updated twice in one push interval is delivered once: its earlier samples never arrive.
        var figures = recorder.Figures();
        return new LatencyResult(figures.P50Us / 1000.0, figures.P99Us / 1000.0, figures.MaxUs / 1000.0, figures.Matched);
    }
}
