using System.Collections.Concurrent;
using FacilityHub.Dashboard.History;

namespace FacilityHub.Dashboard.Shelters;

/// <summary>
/// Occupancy trends of every shelter, shared by all the circuits that show the shelter page: one wall screen or
/// twenty HQ laptops cost the hub the same requests, at most one round per <see cref="MaxAge"/>.
/// </summary>
public sealed partial class ShelterTrends
{
    /// <summary>The sparkline's span: the last three hours at 15-minute intervals (<see cref="Points"/> per row).</summary>
    public static readonly HistoryRange Range = new("3h", TimeSpan.FromHours(3));

    public const int Points = 12;

    /// <summary>How often a page asks again; trends move slowly, so not on every live push.</summary>
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromMinutes(3);

    // A round younger than this is served as it is; a little under RefreshEvery so each page tick finds it due.
    private static readonly TimeSpan MaxAge = RefreshEvery - TimeSpan.FromSeconds(20);

    // At most this many history requests in flight: the hub's InfluxDB also serves the writer.
    private const int MaxRequestsInFlight = 4;

    private readonly HistoryClient _history;
    private readonly TimeProvider _time;
    private readonly ILogger<ShelterTrends> _logger;

    // One round at a time; the circuits that arrive meanwhile wait for it and take its result.
    private readonly SemaphoreSlim _gate = new(1, 1);

    // Written under _gate, read by every circuit.
    private volatile Round? _last;

    public ShelterTrends(HistoryClient history, TimeProvider time, ILogger<ShelterTrends> logger)
    {
        _history = history;
        _time = time;
        _logger = logger;
    }

    /// <summary>The trend of each of <paramref name="shelterIds"/> that has history; missing ones have none (the page shows "—").</summary>
    public async Task<IReadOnlyDictionary<string, ShelterTrend>> GetAsync(IReadOnlyCollection<string> shelterIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shelterIds);
        if (Fresh(_last, shelterIds) is { } cached)
        {
            return cached;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(_last, shelterIds) is { } fetchedMeanwhile)
            {
                return fetchedMeanwhile;
            }
            var at = _time.GetUtcNow();
            var trends = new ConcurrentDictionary<string, ShelterTrend>(StringComparer.Ordinal);
            var failures = 0;
            string? firstProblem = null;
            await Parallel.ForEachAsync(
                shelterIds.Distinct(StringComparer.Ordinal),
                new ParallelOptions { MaxDegreeOfParallelism = MaxRequestsInFlight, CancellationToken = cancellationToken },
                async (id, ct) =>
                {
                    try
                    {
                        var response = await _history.GetAsync(id, [ShelterTrend.Field], Range, Points, "last", ct);
                        if (ShelterTrend.FromHistory(response) is { } trend)
                        {
                            trends[id] = trend;
                        }
                    }
                    catch (HistoryRequestException e)
                    {
                        // One line per round, not one per shelter: a hub that is away would otherwise write forty.
                        if (Interlocked.Increment(ref failures) == 1)
                        {
                            firstProblem = e.Message;
                        }
                    }
                });
            if (failures > 0)
            {
                Log.TrendsFailed(_logger, failures, shelterIds.Count, firstProblem);
            }
            var round = new Round(at, trends.ToDictionary(StringComparer.Ordinal), shelterIds.ToHashSet(StringComparer.Ordinal));
            // A failed round is not kept: the next page tick tries again rather than showing "—" for minutes.
            if (failures == 0)
            {
                _last = round;
            }
            return round.Trends;
        }
        finally
        {
            _gate.Release();
        }
    }

    private IReadOnlyDictionary<string, ShelterTrend>? Fresh(Round? round, IReadOnlyCollection<string> ids) =>
        round is not null && _time.GetUtcNow() - round.At < MaxAge && ids.All(round.Asked.Contains) ? round.Trends : null;

    private sealed record Round(DateTimeOffset At, IReadOnlyDictionary<string, ShelterTrend> Trends, HashSet<string> Asked);
}
