using FacilityHub.Dashboard.Components.Map;
using FacilityHub.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Tests.Components.Map;

public sealed class MapOptionsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("https://tile.openstreetmap.org/{z}/{x}/{y}.png")]
    [InlineData("https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png")]
    [InlineData("https://{s}.tiles.example.jp/{z}/{x}/{y}{r}.png")]
    [InlineData("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png")]
    public void TileUrl_EmptyOrHttpTemplate_IsAccepted(string url)
    {
        Assert.True(new MapOptionsValidator().Validate(null, new MapOptions { TileUrl = url }).Succeeded);
    }

    [Theory]
    [InlineData("tiles/{z}/{x}/{y}.png")]
    [InlineData("/tiles/{z}/{x}/{y}.png")]
    [InlineData("https://tile.openstreetmap.org/{z}/{x}.png")]
    [InlineData("https://tile.openstreetmap.org/tile.png")]
    [InlineData("ftp://tiles.example.jp/{z}/{x}/{y}.png")]
    [InlineData("javascript:alert(1)//{z}{x}{y}")]
    [InlineData("https:///{z}/{x}/{y}.png")]
    public void TileUrl_NotAnAbsoluteHttpTemplate_FailsNamingTheSetting(string url)
    {
        var result = new MapOptionsValidator().Validate(null, new MapOptions { TileUrl = url });

        Assert.True(result.Failed);
        Assert.Contains("Map:TileUrl", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org")]
    [InlineData("https://{s}.tiles.example.jp:8443/{z}/{x}/{y}.png", "https://*.tiles.example.jp:8443")]
    public void TileOrigin_IsWhatTheCspImgSrcNeeds(string url, string? origin)
    {
        Assert.Equal(origin, new MapOptions { TileUrl = url }.TileOrigin);
    }

    [Fact]
    public void AddMap_NoConfiguration_HasNoTiles()
    {
        using var services = Build([]);

        services.GetRequiredService<IStartupValidator>().Validate();

        var options = services.GetRequiredService<IOptions<MapOptions>>().Value;
        Assert.False(options.HasTiles);
        Assert.Null(options.TileOrigin);
    }

    [Fact]
    public void AddMap_TilesConfigured_AreBound()
    {
        using var services = Build(new()
        {
            ["Map:TileUrl"] = "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            ["Map:Attribution"] = "© OpenStreetMap contributors",
        });

        var options = services.GetRequiredService<IOptions<MapOptions>>().Value;
        Assert.True(options.HasTiles);
        Assert.Equal("© OpenStreetMap contributors", options.Attribution);
    }

    [Fact]
    public void StartupValidation_BadTileUrl_ThrowsOneLineNamingTheSetting()
    {
        using var services = Build(new() { ["Map:TileUrl"] = "tiles/{z}/{x}/{y}.png" });

        var error = Record.Exception(() => services.GetRequiredService<IStartupValidator>().Validate());

        var problem = StartupProblem.Describe(Assert.IsType<OptionsValidationException>(error));
        Assert.NotNull(problem);
        Assert.StartsWith("Map:TileUrl must be", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddMap(configuration);
        return services.BuildServiceProvider();
    }
}
