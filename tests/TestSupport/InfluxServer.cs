using System.Globalization;
using System.Net;
using System.Text.Json;

namespace FacilityHub.TestSupport;

/// <summary>
/// Debian's influxd (1.6.x) on free loopback ports with a temp data directory. Stop and start keep the
/// data and the port, so a test can take InfluxDB away and bring it back.
/// </summary>
public sealed class InfluxServer : IAsyncDisposable
{
    private readonly TempDir _dir = new("influx");
    private readonly HttpClient _http;
    private ServerProcess? _process;

    private InfluxServer(int port)
    {
        Port = port;
        _http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public string Output => _process?.Output ?? "";

    public static async Task<InfluxServer> StartAsync()
    {
        var server = new InfluxServer(Ports.GetFree());
        var rpcPort = Ports.GetFree();
        // The same configuration as ./run.sh and the benchmarks: one script writes it for all of them.
        await File.WriteAllTextAsync(server._dir.Combine("influxdb.conf"), await ConfigurationAsync(server._dir.Path, server.Port, rpcPort));
        await server.ResumeAsync();
        return server;
    }

    private static async Task<string> ConfigurationAsync(string dir, int httpPort, int rpcPort)
    {
        var script = Path.Combine(RepoPaths.Root, "scripts", "influxd-conf.sh");
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, dir, httpPort.ToString(CultureInfo.InvariantCulture), rpcPort.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException($"could not run {script}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{script} exited with {process.ExitCode}: {await error}");
    }

    /// <summary>Starts influxd again after <see cref="StopAsync"/>, same port and data.</summary>
    public async Task ResumeAsync()
    {
        if (_process is { HasExited: false })
        {
            return;
        }
        _process = ServerProcess.Start("influxd", "/usr/bin/influxd", ["run", "-config", _dir.Combine("influxdb.conf")]);
        await Wait.UntilAsync(PingAsync, $"influxd to answer /ping on {Port}");
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public async Task<bool> PingAsync()
    {
        if (_process is { HasExited: true })
        {
            throw new InvalidOperationException($"influxd exited: {_process.Output}");
        }
        try
        {
            using var response = await _http.GetAsync("ping");
            return response.StatusCode == HttpStatusCode.NoContent;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async Task CreateDatabaseAsync(string database)
    {
        using var response = await _http.PostAsync("query", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["q"] = $"CREATE DATABASE \"{database}\"",
        }));
        response.EnsureSuccessStatusCode();
    }

    public async Task WriteAsync(string database, string lines, string precision = "ms")
    {
        using var response = await _http.PostAsync($"write?db={Uri.EscapeDataString(database)}&precision={precision}", new StringContent(lines));
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"write failed {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Runs InfluxQL and returns the rows of the first series as column → value maps (epoch ms times).</summary>
    public async Task<IReadOnlyList<Dictionary<string, JsonElement>>> QueryAsync(string database, string influxQl)
    {
        var url = $"query?db={Uri.EscapeDataString(database)}&epoch=ms&q={Uri.EscapeDataString(influxQl)}";
        using var response = await _http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"query failed {(int)response.StatusCode}: {body}");
        }
        using var doc = JsonDocument.Parse(body);
        var rows = new List<Dictionary<string, JsonElement>>();
        foreach (var result in doc.RootElement.GetProperty("results").EnumerateArray())
        {
            if (result.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"query error: {error.GetString()}");
            }
            if (!result.TryGetProperty("series", out var series))
            {
                continue;
            }
            foreach (var s in series.EnumerateArray())
            {
                var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToArray();
                var tags = s.TryGetProperty("tags", out var t) ? t.EnumerateObject().ToArray() : [];
                foreach (var values in s.GetProperty("values").EnumerateArray())
                {
                    var row = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    var i = 0;
                    foreach (var v in values.EnumerateArray())
                    {
                        row[columns[i++]] = v.Clone();
                    }
                    foreach (var tag in tags)
                    {
                        row[tag.Name] = tag.Value.Clone();
                    }
                    rows.Add(row);
                }
            }
        }
        return rows;
    }

    public async Task<long> CountAsync(string database, string measurement, string field, string where = "")
    {
        var rows = await QueryAsync(database, $"SELECT count(\"{field}\") FROM \"{measurement}\"{(where.Length > 0 ? " WHERE " + where : "")}");
        return rows.Count == 0 ? 0 : rows[0]["count"].GetInt64();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        _dir.Dispose();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"influxd on {Port}");
}
