using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Quality;
using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Live;
using FacilityHub.Hub.Quality;
using FacilityHub.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FacilityHub.Hub.Tests.Quality;

/// <summary>A station that stops reporting is shown missing once, on a clock the test drives.</summary>
public sealed class StationSilenceTests
{
    private static readonly Site Station = new("wx-a", SiteKind.WeatherStation, "A", "A", "north", 36.6, 140.6);
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(9));
    private static readonly TimeSpan After = TimeSpan.FromMinutes(30);

    private readonly LatestState _state = new(Options.Create(new CrowdingOptions()));

    private static WeatherReading Reading(DateTimeOffset ts, double temperatureC = 12.4) =>
        new(Station, new WeatherObservation(ts, TemperatureC: temperatureC));

    private static readonly WeatherQuality OnlyTemperature = WeatherQuality.AllMissing with { TemperatureC = QualityFlag.Ok };

    [Fact]
    public void Apply_Weather_CarriesTheVerdictIntoTheState()
    {
        _state.Apply(Reading(T0), OnlyTemperature, T0);
        Assert.Equal(OnlyTemperature, Assert.Single(_state.TakeChangedWeather()).Quality);
        Assert.Equal(OnlyTemperature, Assert.Single(_state.Snapshot(T0).Weather).Quality);
    }

    [Fact]
    public void MarkSilentStations_SilentLongerThanMissingAfter_AllMissingOnceValuesKept()
    {
        _state.Apply(Reading(T0), OnlyTemperature, T0);
        _state.TakeChangedWeather();

        Assert.Empty(_state.MarkSilentStations(T0 + After, After));
        Assert.Empty(_state.TakeChangedWeather());

        var marked = Assert.Single(_state.MarkSilentStations(T0 + After + TimeSpan.FromMilliseconds(1), After));
        Assert.Equal(WeatherQuality.AllMissing, marked.Quality);
        var pushed = Assert.Single(_state.TakeChangedWeather());
        Assert.Equal((WeatherQuality.AllMissing, 12.4), (pushed.Quality, pushed.Observation.TemperatureC));

        // Once: a station already marked is not pushed again on the next check.
        Assert.Empty(_state.MarkSilentStations(T0 + TimeSpan.FromHours(5), After));
        Assert.Empty(_state.TakeChangedWeather());

        // The next observation brings its own verdict back.
        _state.Apply(Reading(T0 + TimeSpan.FromHours(5)), OnlyTemperature, T0);
        Assert.Equal(OnlyTemperature, Assert.Single(_state.TakeChangedWeather()).Quality);
    }

    [Fact]
    public async Task Monitor_ClockPassesMissingAfter_StationMarkedMissing()
    {
        var time = new FakeTimeProvider(T0);
        _state.Apply(Reading(T0), OnlyTemperature, T0);
        _state.TakeChangedWeather();
        var monitor = new StationSilenceMonitor(_state, Options.Create(new QualityOptions()), time, NullLogger<StationSilenceMonitor>.Instance);
        await monitor.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            time.Advance(TimeSpan.FromMinutes(29));
            time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(OnlyTemperature, Assert.Single(_state.Snapshot(T0).Weather).Quality);

            // ExecuteAsync starts on its own task, so its timer may only now exist: keep the clock moving
            // a minute per poll until a tick has seen the station past MissingAfter.
            await Wait.UntilAsync(() =>
            {
                if (_state.Snapshot(T0).Weather[0].Quality == WeatherQuality.AllMissing)
                {
                    return true;
                }
                time.Advance(TimeSpan.FromMinutes(1));
                return false;
            }, "the silent station marked missing");
            Assert.Single(_state.TakeChangedWeather());
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
        }
    }
}
