using FacilityHub.Hosting;
using System.Diagnostics;
using FacilityHub.Edge.Publishing;
using FacilityHub.Edge.Simulation;
using FacilityHub.Edge.Sites;
using FacilityHub.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FacilityHub.Edge.Tests;

public sealed class StartupValidationTests
{
    /// <summary>What the agent would say at start-up with these settings, or null when it would start.</summary>
    private static string? Problem(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["Sites:RegistryPath"] = RepoPaths.SampleRegistry };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build())
            .AddLogging()
            .AddSiteRegistry()
            .AddMqttPublishing()
            .AddSimulator();
        using var provider = services.BuildServiceProvider();
        var error = Record.Exception(() => provider.GetRequiredService<IStartupValidator>().Validate());
        return error is null ? null : StartupProblem.Describe(error) ?? throw new InvalidOperationException("not a configuration problem", error);
    }

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.Null(Problem());
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:05")]
    [InlineData("2.00:00:00")]
    public void Validate_IntervalNotPositiveOrOverADay_NamesSimulatorInterval(string interval)
    {
        Assert.StartsWith("Simulator:Interval must be greater than 00:00:00", Problem(("Simulator:Interval", interval)));
    }

    [Fact]
    public void Validate_IntervalNotATimeSpan_NamesSimulatorInterval()
    {
        Assert.StartsWith(
            "Failed to convert configuration value 'ten seconds' at 'Simulator:Interval' to type 'System.TimeSpan'.",
            Problem(("Simulator:Interval", "ten seconds")));
    }

    [Theory]
    [InlineData("Edge-Sim")]
    [InlineData("edge sim")]
    [InlineData("")]
    public void Validate_AgentIdNotAValidId_NamesAgentId(string id)
    {
        Assert.Equal($"Agent:Id '{id}' must match [a-z0-9][a-z0-9_-]{{0,62}}", Problem(("Agent:Id", id)));
    }

    [Fact]
    public void Validate_RegistryFileMissing_NamesSitesRegistryPath()
    {
        var problem = Problem(("Sites:RegistryPath", "/nonexistent/sites.json"));
        Assert.StartsWith("Sites:RegistryPath: site registry '/nonexistent/sites.json' cannot be read", problem);
    }

    [Theory]
    [InlineData("Simulator:Kinds", "ap,cars", "Simulator:Kinds: 'cars' is not one of ap, shelter, weather")]
    [InlineData("Simulator:Sites", "civic-center,shl-nowhere-es", "Simulator:Sites: 'shl-nowhere-es' is not a site in the registry")]
    [InlineData("Simulator:Scenario", "typhoon", "Simulator:Scenario 'typhoon' is not 'normal' or 'evacuation'")]
    [InlineData("Mqtt:Port", "70000", "Mqtt:Port must be 1–65535, got 70000")]
    [InlineData("Mqtt:TopicPrefix", "fh/#", "Mqtt:TopicPrefix: topic prefix 'fh/#' must be non-empty levels without wildcards or '$'")]
    public void Validate_BadSetting_NamesTheSettingAndWhy(string key, string value, string expected)
    {
        Assert.Equal(expected, Problem((key, value)));
    }

    [Fact]
    public void Validate_SitesAndKindsThatSelectNothing_SaysSo()
    {
        Assert.Equal(
            "Simulator:Sites 'wx-juo' with Simulator:Kinds 'ap' selects no device",
            Problem(("Simulator:Sites", "wx-juo"), ("Simulator:Kinds", "ap")));
    }

    [Fact]
    public void Validate_SeveralBadSettings_OneLineNamingEach()
    {
        var problem = Problem(("Simulator:Interval", "00:00:00"), ("Agent:Id", "X"));
        Assert.NotNull(problem);
        Assert.DoesNotContain('\n', problem);
        Assert.Contains("Simulator:Interval", problem, StringComparison.Ordinal);
        Assert.Contains("Agent:Id", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Program_BadSetting_PrintsOneLineAndExitsWith2()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { RepoPaths.ProjectDll("Edge"), "--Agent:Id", "Bad_Id", "--Sites:RegistryPath", RepoPaths.SampleRegistry },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        var lines = ((await stdout) + (await stderr)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(lines);
        Assert.Contains("Agent:Id 'Bad_Id' must match", line, StringComparison.Ordinal);
    }
}
