using System.Diagnostics;
using System.Globalization;
using System.Text;

internal sealed record RawOptions(Uri Influx, string Database, int BatchSize, int InFlight, TimeSpan Duration, IReadOnlyList<(string Name, int Pid)> Watch, string? Csv);

/// <summary>
/// The ceiling under every ingest path: line protocol straight to InfluxDB 1.x <c>/write</c>, in batches, with a few
/// requests in flight. AP points with the hub's schema (tags site, ap, district; the same fields), each its own
/// series-and-timestamp, so the count afterwards must equal what was sent.
/// </summary>
internal static class RawInflux
{
    public static async Task<int> RunAsync(RawOptions o)
    {
        using var http = new HttpClient { BaseAddress = o.Influx, Timeout = TimeSpan.FromSeconds(30) };
        (await http.PostAsync($"query?q={Uri.EscapeDataString($"CREATE DATABASE \"{o.Database}\"")}", null)).EnsureSuccessStatusCode();
        // Points an hour back, 1 ms apart, over 10,000 APs: built before the clock starts so the figure is InfluxDB's, not ours.
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000;
        var batches = (int)Math.Ceiling(o.Duration.TotalSeconds * 150_000 / o.BatchSize);
        var bodies = new byte[batches][];
        var random = new Random(5);
        var line = new StringBuilder();
        for (var b = 0; b < batches; b++)
        {
            line.Clear();
            for (var i = 0; i < o.BatchSize; i++)
            {
                var n = (long)b * o.BatchSize + i;
                var ap = n % 10_000;
                line.Append(CultureInfo.InvariantCulture, $"ap,ap=bap-{ap:D5},district=juo,site=bc-{ap / 20:D4} up=true,clients_2g={random.Next(40)}i,clients_5g={random.Next(120)}i,channel_util_2g_pct=42.5,channel_util_5g_pct=18,rx_bps=1234567,tx_bps=2345678,noise_dbm=-92,uptime_s=86400i,cpu_pct=12,mem_pct=40.5,seq={n}i {start + n}\n");
            }
            bodies[b] = Encoding.UTF8.GetBytes(line.ToString());
        }

        using var watch = new ProcWatch(o.Watch);
        var clock = Stopwatch.StartNew();
        var next = -1;
        long written = 0;
        async Task WriterAsync()
        {
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches && clock.Elapsed < o.Duration)
            {
                using var content = new ByteArrayContent(bodies[b]);
                using var response = await http.PostAsync($"write?db={Uri.EscapeDataString(o.Database)}&precision=ms", content);
                response.EnsureSuccessStatusCode();
                Interlocked.Add(ref written, o.BatchSize);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, o.InFlight).Select(_ => WriterAsync()));
        var seconds = clock.Elapsed.TotalSeconds;
        var processes = watch.Stop();
        var stored = await CountAsync(http, o.Database);
        var rate = written / seconds;
        Console.WriteLine($"[raw-influx] {written:N0} points in {seconds:0.0} s = {rate:N0} points/s (batch {o.BatchSize}, {o.InFlight} in flight), counted {stored:N0}, "
            + string.Join(", ", processes.Select(p => p.Describe(written))));
        if (o.Csv is not null)
        {
            await File.AppendAllLinesAsync(o.Csv, [string.Join(';', new[] { "raw-influx", rate.ToString("0", CultureInfo.InvariantCulture), written.ToString(CultureInfo.InvariantCulture),
                stored.ToString(CultureInfo.InvariantCulture), seconds.ToString("0.0", CultureInfo.InvariantCulture) }
                .Concat(processes.Select(p => p.Csv())))]);
        }
        return stored == written ? 0 : 1;
    }

    private static async Task<long> CountAsync(HttpClient http, string database)
    {
        using var response = await http.GetAsync($"query?db={Uri.EscapeDataString(database)}&q={Uri.EscapeDataString("SELECT count(seq) FROM ap")}");
        response.EnsureSuccessStatusCode();
        using var json = await System.Text.Json.JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        var result = json.RootElement.GetProperty("results")[0];
        return result.TryGetProperty("series", out var series) ? series[0].GetProperty("values")[0][1].GetInt64() : 0;
    }
}
