using FacilityHub.Contracts;
using FacilityHub.Contracts.Sites;
using Microsoft.Extensions.Options;

namespace FacilityHub.Edge.Simulation;

/// <summary>Configuration section <c>Simulator</c>.</summary>
internal sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    /// <summary>How often each device publishes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Comma list of <c>ap</c>, <c>shelter</c>, <c>weather</c>.</summary>
    public string Kinds { get; set; } = "ap,shelter,weather";

    /// <summary>Optional comma list of site ids; only devices at these sites are simulated.</summary>
    public string? Sites { get; set; }

    /// <summary><c>normal</c> or <c>evacuation</c>.</summary>
    public string Scenario { get; set; } = "evacuation";

    public int Seed { get; set; } = 1;

    /// <summary>
    /// When the evacuation order was issued. Unset means two hours before the agent started, so a
    /// freshly started demo shows shelters already filling.
    /// </summary>
    public DateTimeOffset? EvacuationStart { get; set; }

    public static readonly TimeSpan DefaultEvacuationLead = TimeSpan.FromHours(2);

    /// <summary>
    /// Where the simulated clock starts; unset means now. A past moment replays the readings from then on,
    /// <see cref="Speed"/> times faster than real time, until the clock has caught up with real time.
    /// </summary>
    public DateTimeOffset? StartAt { get; set; }

    /// <summary>Simulated seconds per real second while the clock is behind real time (60: an hour a minute).</summary>
    public double Speed { get; set; } = 1;

    /// <summary>Stop producing after this many messages (the agent keeps running and drains its outbox). Unset: never stop.</summary>
    public long? MaxMessages { get; set; }

    public const double MaxSpeed = 100_000;

    private static readonly Dictionary<string, DeviceKind> KindNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ap"] = DeviceKind.Ap,
        ["shelter"] = DeviceKind.Shelter,
        ["weather"] = DeviceKind.Weather,
    };

    public IReadOnlySet<DeviceKind> KindSet() =>
        Tokens(Kinds).Where(KindNames.ContainsKey).Select(k => KindNames[k]).ToHashSet();

    public IReadOnlySet<string>? SiteSet() => Tokens(Sites) is { Count: > 0 } ids ? ids.ToHashSet(StringComparer.Ordinal) : null;

    /// <summary>The parsed <see cref="Scenario"/>; only called on validated options.</summary>
    public Scenario ScenarioKind() =>
        TryParseScenario(Scenario, out var scenario) ? scenario : throw new InvalidOperationException("Simulator:Scenario was not validated");

    private static readonly Dictionary<string, Scenario> ScenarioNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["normal"] = Simulation.Scenario.Normal,
        ["evacuation"] = Simulation.Scenario.Evacuation,
    };

    public static bool TryParseScenario(string? text, out Scenario scenario) => ScenarioNames.TryGetValue(text ?? "", out scenario);

    internal static List<string> Tokens(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    internal static bool IsKnownKind(string kind) => KindNames.ContainsKey(kind);
}

/// <summary>Checks the simulator settings, including that the chosen sites exist in the registry.</summary>
internal sealed class SimulatorOptionsValidator(SiteRegistry registry, TimeProvider time) : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var failures = new List<string>();
        if (options.StartAt is { } startAt && startAt > time.GetUtcNow())
        {
            failures.Add($"Simulator:StartAt {startAt:O} is in the future; the simulated clock may start in the past only");
        }
        if (!double.IsFinite(options.Speed) || options.Speed <= 0 || options.Speed > SimulatorOptions.MaxSpeed)
        {
            failures.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Simulator:Speed must be greater than 0 and at most {SimulatorOptions.MaxSpeed}, got {options.Speed}"));
        }
        if (options.MaxMessages is < 1)
        {
            failures.Add($"Simulator:MaxMessages must be at least 1 when set, got {options.MaxMessages}");
        }
        if (options.Interval <= TimeSpan.Zero || options.Interval > TimeSpan.FromDays(1))
        {
            failures.Add($"Simulator:Interval must be greater than 00:00:00 and at most 1.00:00:00, got {options.Interval}");
        }

        var kinds = SimulatorOptions.Tokens(options.Kinds);
        if (kinds.Count == 0)
        {
            failures.Add("Simulator:Kinds is empty; use a comma list of ap, shelter, weather");
        }
        foreach (var kind in kinds.Where(k => !SimulatorOptions.IsKnownKind(k)))
        {
            failures.Add($"Simulator:Kinds: '{kind}' is not one of ap, shelter, weather");
        }

        foreach (var site in SimulatorOptions.Tokens(options.Sites))
        {
            if (!Ids.IsValid(site) || !registry.TryGetSite(site, out _))
            {
                failures.Add($"Simulator:Sites: '{site}' is not a site in the registry");
            }
        }

        if (!SimulatorOptions.TryParseScenario(options.Scenario, out _))
        {
            failures.Add($"Simulator:Scenario '{options.Scenario}' is not 'normal' or 'evacuation'");
        }

        if (failures.Count == 0 && SimulatedDevice.Select(registry, options.KindSet(), options.SiteSet()).Count == 0)
        {
            failures.Add($"Simulator:Sites '{options.Sites}' with Simulator:Kinds '{options.Kinds}' selects no device");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
