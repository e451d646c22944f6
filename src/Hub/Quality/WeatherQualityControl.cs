using System.Collections.Concurrent;
using FacilityHub.Contracts.Quality;
using FacilityHub.Contracts.Validation;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Quality;

/// <summary>
/// The hub's weather quality control: one <see cref="WeatherQualityChecker"/> per station, created on the
/// station's first observation and kept for the life of the process. Safe for concurrent ingest: calls for
/// one station are serialised, different stations do not wait for each other.
/// </summary>
public sealed class WeatherQualityControl(IOptions<QualityOptions> options)
{
    private readonly WeatherQualityRules _rules = new(options.Value);
    private readonly ConcurrentDictionary<string, WeatherQualityChecker> _stations = new(StringComparer.Ordinal);

    public WeatherQuality Check(WeatherReading r)
    {
        var checker = _stations.GetOrAdd(r.Station.Id, static (_, rules) => new WeatherQualityChecker(rules), _rules);
        lock (checker.Gate)
        {
            return checker.Check(r.Observation);
        }
    }
}
