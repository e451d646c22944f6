using FacilityHub.Contracts.Sites;

/// <summary>
/// The bench's sub-commands besides the default whole-path run (bench/run.sh): the ladder and its baselines, and the
/// probes for issue 5's other goals (latency, fan-out, start-up, overload). bench/compare.sh uses them all.
/// Every flag is declared; an unknown flag, a flag without its value, a value out of range or a missing required
/// flag is one line on standard error naming it, then the usage, and exit code 2.
/// </summary>
internal static class Modes
{
    public static readonly string Usage = string.Join('\n', """
        Bench registry   --sample config/sites.hitachi.json --out PATH [--aps 10000] [--shelters 1000] [--stations 200]
        Bench ladder     --mqtt-port N --influx URL --db NAME --registry PATH [--rates 10000,15000,...] [--step-seconds 10]
                         [--max-seconds 300] [--publishers 4] [--watch name=pid,...] [--label hub] [--csv PATH]
        Bench raw-influx --influx URL [--db raw] [--batch 1000] [--in-flight 2] [--seconds 5] [--watch name=pid,...] [--csv PATH]
        """, LatencyProbe.Usage, FanoutProbe.Usage, StartupProbe.Usage, OverloadProbe.Usage);

    private static readonly Dictionary<string, string[]> Flags = new(StringComparer.Ordinal)
    {
        ["registry"] = ["sample", "out", "aps", "shelters", "stations"],
        ["ladder"] = ["mqtt-port", "influx", "db", "registry", "rates", "step-seconds", "max-seconds", "publishers", "watch", "label", "csv"],
        ["raw-influx"] = ["influx", "db", "batch", "in-flight", "seconds", "watch", "csv"],
        ["latency"] = LatencyProbe.Flags,
        ["fanout"] = FanoutProbe.Flags,
        ["startup"] = StartupProbe.Flags,
        ["overload"] = OverloadProbe.Flags,
    };

    public static async Task<int> RunAsync(string mode, string[] args)
    {
        if (!Flags.TryGetValue(mode, out var known))
        {
            Console.Error.WriteLine($"unknown sub-command '{mode}'");
            Console.Error.WriteLine(Usage);
            return 2;
        }
        Args a;
        try
        {
            a = Args.Parse(args, known);
            return mode switch
            {
                "registry" => Registry(a),
                "ladder" => await Ladder.RunAsync(new LadderOptions(
                    a.RequiredInt("mqtt-port", 1, 65535), a.Url("influx"), a.Required("db"), a.ExistingFile("registry"),
                    a.IntList("rates", "10000,15000,20000,25000,30000,35000,40000,45000,50000", 1, 1_000_000),
                    TimeSpan.FromSeconds(a.Int("step-seconds", 10, 1, 600)), TimeSpan.FromSeconds(a.Int("max-seconds", 300, 1, 3600)),
                    a.Int("publishers", 4, 1, 64), a.Watch(), a.String("label", "ladder"), a.Optional("csv"))),
                "latency" => await LatencyProbe.RunAsync(LatencyProbe.Parse(a)),
                "fanout" => await FanoutProbe.RunAsync(FanoutProbe.Parse(a)),
                "startup" => await StartupProbe.RunAsync(StartupProbe.Parse(a)),
                "overload" => await OverloadProbe.RunAsync(OverloadProbe.Parse(a)),
                _ => await RawInflux.RunAsync(new RawOptions(a.Url("influx"), a.String("db", "raw"), a.Int("batch", 1000, 1, 100_000),
                    a.Int("in-flight", 2, 1, 64), TimeSpan.FromSeconds(a.Int("seconds", 5, 1, 600)), a.Watch(), a.Optional("csv"))),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"{mode}: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }

    private static int Registry(Args a)
    {
        var sample = a.ExistingFile("sample");
        var output = a.Required("out");
        var document = CityMix.Generate(SiteRegistry.Load(sample), a.Int("aps", 10_000, 1, 99_999), a.Int("shelters", 1_000, 0, 9_999), a.Int("stations", 200, 0, 9_999));
        CityMix.Write(document, output);
        // Load it back: the hub will, and a registry it refuses would fail the run much later.
        var loaded = SiteRegistry.Load(output);
        Console.WriteLine($"registry {output}: {loaded.AccessPoints.Count:N0} APs, {loaded.OfKind(SiteKind.Shelter).Count():N0} shelters, {loaded.OfKind(SiteKind.WeatherStation).Count():N0} stations");
        return 0;
    }
}
