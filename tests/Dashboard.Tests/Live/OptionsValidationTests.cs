using FacilityHub.Hosting;
using FacilityHub.Dashboard.Live;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Tests.Live;

public sealed class OptionsValidationTests : IDisposable
{
    // A service password file that exists and is not empty: what a valid configuration points at.
    private readonly string _passwordFile = Path.Combine(Path.GetTempPath(), $"fh-dashboard-secret-{Guid.NewGuid():N}");

    public OptionsValidationTests() => File.WriteAllText(_passwordFile, "a-service-password");

    public void Dispose() => File.Delete(_passwordFile);

    private HubOptions Hub(string url = "http://127.0.0.1:5080") =>
        new() { Url = url, ServiceUser = "dashboard", ServicePasswordFile = _passwordFile };

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("https://hub.example.jp/facility/")]
    public void HubUrl_AbsoluteHttpUrl_IsAccepted(string url)
    {
        Assert.True(new HubOptionsValidator().Validate(null, Hub(url)).Succeeded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("/hubs/live")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("ws://127.0.0.1:5080")]
    [InlineData("http//missing-colon")]
    public void HubUrl_NotAnAbsoluteHttpUrl_FailsNamingTheSetting(string url)
    {
        var result = new HubOptionsValidator().Validate(null, Hub(url));

        Assert.True(result.Failed);
        Assert.Contains("Hub:Url", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceCredential_Missing_FailsNamingBothSettings()
    {
        var result = new HubOptionsValidator().Validate(null, new HubOptions());

        Assert.True(result.Failed);
        Assert.Contains("Hub:ServiceUser is required", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Hub:ServicePasswordFile is required", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ServicePasswordFile_AbsentOrEmpty_FailsSayingWhich()
    {
        var options = Hub();
        options.ServicePasswordFile = "/nonexistent/secret";
        var absent = new HubOptionsValidator().Validate(null, options);
        File.WriteAllText(_passwordFile, "");
        var empty = new HubOptionsValidator().Validate(null, Hub());

        Assert.Contains("Hub:ServicePasswordFile '/nonexistent/secret' does not exist", absent.FailureMessage, StringComparison.Ordinal);
        Assert.Contains($"Hub:ServicePasswordFile '{_passwordFile}' is empty", empty.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public void StaleAfter_NotPositive_FailsNamingTheSetting(int seconds)
    {
        var result = new DashboardOptionsValidator().Validate(null, new DashboardOptions { StaleAfter = TimeSpan.FromSeconds(seconds) });

        Assert.True(result.Failed);
        Assert.Contains("Dashboard:StaleAfter", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AddLiveFeed_NoConfiguration_UsesDefaults()
    {
        using var services = Build([]);

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(new Uri("http://127.0.0.1:5080"), services.GetRequiredService<IOptions<HubOptions>>().Value.BaseUri);
        Assert.Equal(TimeSpan.FromMinutes(5), services.GetRequiredService<IOptions<DashboardOptions>>().Value.StaleAfter);
    }

    [Fact]
    public void AddLiveFeed_StaleAfterFromConfiguration_IsATimeSpan()
    {
        using var services = Build(new() { ["Dashboard:StaleAfter"] = "00:02:30" });

        Assert.Equal(TimeSpan.FromSeconds(150), services.GetRequiredService<IOptions<DashboardOptions>>().Value.StaleAfter);
    }

    [Fact]
    public void StartupValidation_BadHubUrl_ThrowsOneLineNamingTheSetting()
    {
        using var services = Build(new() { ["Hub:Url"] = "not a url" });

        var error = Record.Exception(() => services.GetRequiredService<IStartupValidator>().Validate());

        var problem = StartupProblem.Describe(Assert.IsType<OptionsValidationException>(error));
        Assert.NotNull(problem);
        Assert.StartsWith("Hub:Url must be", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void StartupValidation_UnparsableStaleAfter_IsDescribedAsConfigurationError()
    {
        using var services = Build(new() { ["Dashboard:StaleAfter"] = "five minutes" });

        var error = Record.Exception(() => services.GetRequiredService<IStartupValidator>().Validate());

        var problem = StartupProblem.Describe(Assert.IsType<InvalidOperationException>(error));
        Assert.NotNull(problem);
        Assert.Contains("Dashboard:StaleAfter", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void StartupValidation_TwoBadSettings_NamesBoth()
    {
        using var services = Build(new() { ["Hub:Url"] = "x", ["Dashboard:StaleAfter"] = "00:00:00" });

        var error = Record.Exception(() => services.GetRequiredService<IStartupValidator>().Validate());

        var problem = StartupProblem.Describe(error!);
        Assert.NotNull(problem);
        Assert.Contains("Hub:Url", problem, StringComparison.Ordinal);
        Assert.Contains("Dashboard:StaleAfter", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void DescribeConfigurationError_OtherException_IsNull()
    {
        Assert.Null(StartupProblem.Describe(new InvalidOperationException("boom")));
        Assert.Null(StartupProblem.Describe(new AggregateException(new OptionsValidationException("x", typeof(HubOptions), ["bad"]), new IOException("disk"))));
    }

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Hub:ServiceUser", "dashboard");
        settings.TryAdd("Hub:ServicePasswordFile", _passwordFile);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddLiveFeed();
        return services.BuildServiceProvider();
    }
}
