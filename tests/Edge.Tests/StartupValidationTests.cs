using FacilityHub.Hosting;
using System.Diagnostics;
using FacilityHub.Edge.Outbox;
using FacilityHub.Edge.Publishing;
using FacilityHub.Edge.Simulation;
using FacilityHub.Edge.Sites;
using FacilityHub.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FacilityHub.Edge.Tests;

public sealed class StartupValidationTests : IDisposable
{
    private readonly TempDir _dir = new("edge-startup");

    public void Dispose() => _dir.Dispose();

    /// <summary>What the agent would say at start-up with these settings, or null when it would start.</summary>
    private string? Problem(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Sites:RegistryPath"] = RepoPaths.SampleRegistry,
            ["Outbox:Path"] = _dir.Combine("outbox.db"),
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build())
            .AddLogging()
            .AddSiteRegistry()
            .AddMqttPublishing()
            .AddOutbox()
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
    [InlineData("Agent:StatusInterval", "00:00:00", "Agent:StatusInterval must be between 00:00:01 and 01:00:00, got 00:00:00")]
    [InlineData("Outbox:MaxBytes", "1000", "Outbox:MaxBytes must be at least 65536 (64 KiB), got 1000")]
    [InlineData("Outbox:MaxAge", "00:00:00", "Outbox:MaxAge must be greater than 00:00:00 and at most 365.00:00:00, got 00:00:00")]
    [InlineData("Outbox:AckTimeout", "00:00:00.500", "Outbox:AckTimeout must be between 00:00:01 and 01:00:00, got 00:00:00.5000000")]
    [InlineData("Outbox:BacklogRatePerSecond", "0", "Outbox:BacklogRatePerSecond must be 1–100000, got 0")]
    [InlineData("Outbox:Path", " ", "Outbox:Path is empty; it must name the outbox file")]
    [InlineData("Simulator:Speed", "0", "Simulator:Speed must be greater than 0 and at most 100000, got 0")]
    [InlineData("Simulator:MaxMessages", "0", "Simulator:MaxMessages must be at least 1 when set, got 0")]
    public void Validate_BadSetting_NamesTheSettingAndWhy(string key, string value, string expected)
    {
        Assert.Equal(expected, Problem((key, value)));
    }

    [Fact]
    public void Validate_StartAtInTheFuture_NamesSimulatorStartAt()
    {
        var problem = Problem(("Simulator:StartAt", DateTimeOffset.UtcNow.AddHours(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.NotNull(problem);
        Assert.StartsWith("Simulator:StartAt ", problem);
        Assert.EndsWith("is in the future; the simulated clock may start in the past only", problem);
    }

    [Fact]
    public void Validate_OutboxPathUnderAFile_NamesOutboxPath()
    {
        var file = _dir.Combine("not-a-directory");
        File.WriteAllText(file, "");
        var problem = Problem(("Outbox:Path", Path.Combine(file, "outbox.db")));
        Assert.NotNull(problem);
        Assert.StartsWith($"Outbox:Path '{Path.Combine(file, "outbox.db")}': its directory cannot be written", problem);
    }

    [Fact]
    public void Validate_OutboxPathIsADirectory_NamesOutboxPath()
    {
        Assert.Equal($"Outbox:Path '{_dir.Path}': is a directory; it must name a file", Problem(("Outbox:Path", _dir.Path)));
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
        var (exitCode, line) = await RunEdgeToExitAsync("--Agent:Id", "Bad_Id", "--Outbox:Path", _dir.Combine("outbox.db"));

        Assert.Equal(2, exitCode);
        Assert.Contains("Agent:Id 'Bad_Id' must match", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Program_OutboxInUseByAnotherAgent_PrintsOneLineAndExitsWith2()
    {
        var outbox = _dir.Combine("shared-outbox.db");
        // The first agent has no broker to reach; it runs, holding its outbox, until it is stopped.
        await using var first = ServerProcess.StartProject("Edge",
            ["--Mqtt:Port", Ports.GetFree().ToString(System.Globalization.CultureInfo.InvariantCulture), "--Sites:RegistryPath", RepoPaths.SampleRegistry, "--Outbox:Path", outbox]);
        await first.WaitForLineAsync(l => l.Contains("messages (0 bytes) waiting from before", StringComparison.Ordinal), "the first agent to open its outbox");

        var (exitCode, line) = await RunEdgeToExitAsync("--Agent:Id", "edge-second", "--Outbox:Path", outbox);

        Assert.Equal(2, exitCode);
        Assert.Contains($"Cannot start: Outbox:Path '{outbox}' cannot be opened", line, StringComparison.Ordinal);
        Assert.Contains("is another agent using this outbox?", line, StringComparison.Ordinal);
    }

    /// <summary>Runs the edge process until it exits; its exit code and its one line of output.</summary>
    private static async Task<(int ExitCode, string Line)> RunEdgeToExitAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var arg in (string[])[RepoPaths.ProjectDll("Edge"), "--Sites:RegistryPath", RepoPaths.SampleRegistry, .. args])
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        var lines = ((await stdout) + (await stderr)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (process.ExitCode, Assert.Single(lines));
    }
}
