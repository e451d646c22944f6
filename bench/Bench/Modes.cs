using System.Globalization;
using FacilityHub.Contracts.Sites;

/// <summary>The bench's sub-commands besides the default whole-path run: registry, ladder, raw-influx (bench/compare.sh uses all three).</summary>
internal static class Modes
{
    public const string Usage = """
        Bench registry   --sample config/sites.hitachi.json --out PATH [--aps 10000] [--shelters 1000] [--stations 200]
        Bench ladder     --mqtt-port N --influx URL --db NAME --registry PATH [--rates 10000,15000,...] [--step-seconds 10]
                         [--max-seconds 300] [--publishers 4] [--watch name=pid,...] [--label hub] [--csv PATH]
        Bench raw-influx --influx URL [--db raw] [--batch 1000] [--in-flight 2] [--seconds 5] [--watch name=pid,...] [--csv PATH]
        """;

    public static async Task<int> RunAsync(string mode, string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            map[args[i].TrimStart('-')] = args[i + 1];
        }
        int Int(string key, int fallback) => map.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        // The bench itself shares the cores with what it measures, so its own CPU is always reported beside theirs.
        var watch = (map.TryGetValue("watch", out var w) ? w.Split(',', StringSplitOptions.RemoveEmptyEntries) : [])
            .Select(x => x.Split('=')).Select(x => (x[0], int.Parse(x[1], CultureInfo.InvariantCulture)))
            .Append(("bench", Environment.ProcessId))
            // And the whole machine (pid 0 = /proc/stat): tick-sampled, it undercounts a partly idle machine, but near the
            // number of cores it shows that they were saturated, by us or by someone else.
            .Append(("machine", 0)).ToArray();
        try
        {
            switch (mode)
            {
                case "registry":
                    var document = CityMix.Generate(SiteRegistry.Load(map["sample"]), Int("aps", 10_000), Int("shelters", 1_000), Int("stations", 200));
                    CityMix.Write(document, map["out"]);
                    // Load it back: the hub will, and a registry it refuses would fail the run much later.
                    var loaded = SiteRegistry.Load(map["out"]);
                    Console.WriteLine($"registry {map["out"]}: {loaded.AccessPoints.Count:N0} APs, {loaded.OfKind(SiteKind.Shelter).Count():N0} shelters, {loaded.OfKind(SiteKind.WeatherStation).Count():N0} stations");
                    return 0;
                case "ladder":
                    return await Ladder.RunAsync(new LadderOptions(
                        Int("mqtt-port", 1883), new Uri(map["influx"]), map["db"], map["registry"],
                        map.GetValueOrDefault("rates", "10000,15000,20000,25000,30000,35000,40000,45000,50000").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray(),
                        TimeSpan.FromSeconds(Int("step-seconds", 10)), TimeSpan.FromSeconds(Int("max-seconds", 300)), Int("publishers", 4),
                        watch, map.GetValueOrDefault("label", "ladder"), map.GetValueOrDefault("csv")));
                case "raw-influx":
                    return await RawInflux.RunAsync(new RawOptions(new Uri(map["influx"]), map.GetValueOrDefault("db", "raw"), Int("batch", 1000), Int("in-flight", 2),
                        TimeSpan.FromSeconds(Int("seconds", 5)), watch, map.GetValueOrDefault("csv")));
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or IndexOutOfRangeException)
        {
            Console.Error.WriteLine($"{mode}: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }
}
