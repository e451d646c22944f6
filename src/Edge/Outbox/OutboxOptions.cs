using System.Globalization;
using Microsoft.Extensions.Options;

namespace FacilityHub.Edge.Outbox;

/// <summary>Configuration section <c>Outbox</c>: where messages wait until the hub has stored them, and for how long.</summary>
internal sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>The SQLite file; a relative path is taken from the working directory. One agent per file.</summary>
    public string Path { get; set; } = "data/edge-outbox.db";

    /// <summary>
    /// Most bytes of messages held (topic + payload + a fixed per-row overhead). When full, the oldest AP
    /// samples and weather observations go first; shelter reports only when nothing else is left.
    /// 256 MiB is about 800,000 messages: half a day of the whole sample city, weeks of one shelter.
    /// </summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Messages older than this are dropped (and counted) whatever their kind; the hub refuses a <c>ts</c> older than 30 days anyway.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// A message published this long ago without an acknowledgement from the hub is published again. While
    /// the hub acknowledges nothing at all, the wait doubles after each re-send, up to eight times this.
    /// </summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many older (backlog) messages a second are published beside the live ones after an outage, so
    /// that a long backlog neither starves live readings nor floods the broker and the hub.
    /// </summary>
    public int BacklogRatePerSecond { get; set; } = 200;

    public const long MinBytes = 64 * 1024;
}

internal sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            failures.Add("Outbox:Path is empty; it must name the outbox file");
        }
        else if (DirectoryProblem(options.Path) is { } problem)
        {
            failures.Add($"Outbox:Path '{options.Path}': {problem}");
        }
        if (options.MaxBytes < OutboxOptions.MinBytes)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Outbox:MaxBytes must be at least {OutboxOptions.MinBytes} (64 KiB), got {options.MaxBytes}"));
        }
        if (options.MaxAge <= TimeSpan.Zero || options.MaxAge > TimeSpan.FromDays(365))
        {
            failures.Add($"Outbox:MaxAge must be greater than 00:00:00 and at most 365.00:00:00, got {options.MaxAge}");
        }
        if (options.AckTimeout < TimeSpan.FromSeconds(1) || options.AckTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"Outbox:AckTimeout must be between 00:00:01 and 01:00:00, got {options.AckTimeout}");
        }
        if (options.BacklogRatePerSecond is < 1 or > 100_000)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Outbox:BacklogRatePerSecond must be 1–100000, got {options.BacklogRatePerSecond}"));
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // The file itself is created on first open; what can be checked up front is that its directory can be
    // made and written, so a read-only mount stops the agent with this line rather than a SQLite stack trace.
    private static string? DirectoryProblem(string path)
    {
        try
        {
            var full = System.IO.Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                return "is a directory; it must name a file";
            }
            var directory = System.IO.Path.GetDirectoryName(full)!;
            Directory.CreateDirectory(directory);
            var probe = System.IO.Path.Combine(directory, $".outbox-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"its directory cannot be written ({e.Message})";
        }
    }
}
