using FacilityHub.Contracts.Quality;
using FacilityHub.Hub.Quality;
using FacilityHub.TestSupport;
using Microsoft.Extensions.Configuration;

namespace FacilityHub.Hub.Tests.Quality;

public sealed class QualityOptionsTests
{
    private static QualityOptions Bind(IConfiguration configuration)
    {
        var options = new QualityOptions();
        configuration.GetSection(QualityOptions.Section).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        return options;
    }

    private static IEnumerable<string> Described(QualityOptions o) =>
        [
            $"{o.MissingAfter} {o.MissingCheckInterval} {o.StepInterval} {o.MaxGap} {o.StuckTolerance} {o.CalmWindMs} {o.SaturatedHumidityPct}",
            .. WeatherElements.All.Select(e => o.For(e)).Select(e => $"{e.Min} {e.Max} {e.MaxStep} {e.StuckAfter}"),
        ];

    [Fact]
    public void Defaults_AreValid() => Assert.Empty(new QualityOptions().Problems());

    [Fact]
    public void AppSettings_QualitySection_SameAsTheDefaultsInCode()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepoPaths.Root, "src", "Hub", "appsettings.json")).Build();
        Assert.Equal(Described(new QualityOptions()), Described(Bind(configuration)));
    }

    [Fact]
    public void Bind_EmptyMaxStepAndStuckAfter_TurnsTheChecksOff()
    {
        var options = Bind(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Quality:TemperatureC:MaxStep"] = "",
            ["Quality:TemperatureC:StuckAfter"] = "",
            ["Quality:PressureHpa:Min"] = "950",
        }).Build());
        Assert.Null(options.TemperatureC.MaxStep);
        Assert.Null(options.TemperatureC.StuckAfter);
        Assert.Equal((950, 1050), (options.PressureHpa.Min, options.PressureHpa.Max));
        Assert.Empty(options.Problems());
    }

    public static TheoryData<string, Action<QualityOptions>> BadSettings => new()
    {
        { "Quality:TemperatureC:Min 50 must be below Quality:TemperatureC:Max 42", o => o.TemperatureC.Min = 50 },
        { "Quality:Rain24hMm:Min 0 must be below Quality:Rain24hMm:Max 0", o => o.Rain24hMm.Max = 0 },
        { "Quality:HumidityPct:MaxStep 0 must be positive", o => o.HumidityPct.MaxStep = 0 },
        { "Quality:WindSpeedMs:StuckAfter -00:01:00 must be positive", o => o.WindSpeedMs.StuckAfter = TimeSpan.FromMinutes(-1) },
        { "Quality:MissingAfter 00:00:00 must be positive", o => o.MissingAfter = TimeSpan.Zero },
        { "Quality:MaxGap 00:00:00 must be positive", o => o.MaxGap = TimeSpan.Zero },
        { "Quality:StuckTolerance -1 must be at least 0", o => o.StuckTolerance = -1 },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Problems_BadSetting_OneLineNamingIt(string expected, Action<QualityOptions> spoil)
    {
        var options = new QualityOptions();
        spoil(options);
        Assert.StartsWith(expected, Assert.Single(options.Problems()), StringComparison.Ordinal);
    }
}
