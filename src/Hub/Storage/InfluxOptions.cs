using FacilityHub.Hub.Configuration;

namespace FacilityHub.Hub.Storage;

public enum InfluxApi
{
    /// <summary><c>/write?db=</c> and <c>/query</c>: InfluxDB 1.x, and 2.x/3.x through their compatibility API.</summary>
    V1,

    /// <summary><c>/api/v2/write?org=&amp;bucket=</c> with a token; queries still use the v1-compatible <c>/query</c>.</summary>
    V2,
}

public sealed class InfluxOptions : IValidatedOptions
{
    public const string Section = "Influx";

    public string Url { get; set; } = "http://127.0.0.1:8086";
    public InfluxApi Api { get; set; } = InfluxApi.V1;
    public string Database { get; set; } = "facility";
    public string? Token { get; set; }
    public string? Org { get; set; }
    public string? Bucket { get; set; }

    /// <summary>Points per write request; InfluxDB's guidance is 5,000–10,000.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>Write requests out at once: InfluxDB parses one batch while the next fills and goes out.</summary>
    public int WritesInFlight { get; set; } = 2;

    /// <summary>How long a partial batch waits for more points before it is written.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Points held in memory while InfluxDB is slow or away; when full, ingest waits (the broker holds its PUBACKs).</summary>
    public int QueueCapacity { get; set; } = 200_000;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where points go, fsync'd, when InfluxDB stays away; drained when it is back, resumed after a restart.</summary>
    public string SpillDirectory { get; set; } = "data/spill";

    /// <summary>How long a batch is retried before it is spilled (and from then on, everything after it).</summary>
    public TimeSpan SpillAfter { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most aggregated points one <c>/api/history</c> request may return.</summary>
    public int MaxHistoryPoints { get; set; } = 10_000;

    private string? SpillDirectoryProblem()
    {
        if (string.IsNullOrWhiteSpace(SpillDirectory))
        {
            return "Influx:SpillDirectory is required";
        }
        try
        {
            Directory.CreateDirectory(SpillDirectory);
            var probe = Path.Combine(SpillDirectory, ".write-test");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"Influx:SpillDirectory '{Path.GetFullPath(SpillDirectory)}' is not a writable directory: {e.Message}";
        }
    }

    public Uri BaseUri => new(Url.EndsWith('/') ? Url : Url + "/");

    public IEnumerable<string> Problems()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return $"Influx:Url '{Url}' must be an absolute http(s) URL";
        }
        if (Api == InfluxApi.V1 && string.IsNullOrWhiteSpace(Database))
        {
            yield return "Influx:Database is required with Influx:Api V1";
        }
        if (Api == InfluxApi.V2 && (string.IsNullOrWhiteSpace(Token) || string.IsNullOrWhiteSpace(Org) || string.IsNullOrWhiteSpace(Bucket)))
        {
            yield return "Influx:Token, Influx:Org and Influx:Bucket are required with Influx:Api V2";
        }
        if (BatchSize is < 1 or > 100_000)
        {
            yield return $"Influx:BatchSize {BatchSize} must be 1–100000";
        }
        if (WritesInFlight is < 1 or > 16)
        {
            yield return $"Influx:WritesInFlight {WritesInFlight} must be 1–16";
        }
        if (FlushInterval <= TimeSpan.Zero || FlushInterval > TimeSpan.FromMinutes(1))
        {
            yield return $"Influx:FlushInterval {FlushInterval} must be above zero and at most a minute";
        }
        if (QueueCapacity < BatchSize)
        {
            yield return $"Influx:QueueCapacity {QueueCapacity} must be at least Influx:BatchSize ({BatchSize})";
        }
        if (RequestTimeout <= TimeSpan.Zero)
        {
            yield return $"Influx:RequestTimeout {RequestTimeout} must be above zero";
        }
        if (MaxRetryDelay <= TimeSpan.Zero)
        {
            yield return $"Influx:MaxRetryDelay {MaxRetryDelay} must be above zero";
        }
        if (SpillAfter < TimeSpan.Zero || SpillAfter > TimeSpan.FromMinutes(10))
        {
            yield return $"Influx:SpillAfter {SpillAfter} must be between zero and 10 minutes";
        }
        if (SpillDirectoryProblem() is { } spillProblem)
        {
            yield return spillProblem;
        }
        if (MaxHistoryPoints < 1)
        {
            yield return $"Influx:MaxHistoryPoints {MaxHistoryPoints} must be at least 1";
        }
    }
}
