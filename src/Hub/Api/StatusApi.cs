using Microsoft.AspNetCore.Http.HttpResults;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Broker;
using FacilityHub.Hub.Ingest;
using FacilityHub.Hub.Live;
using FacilityHub.Hub.Storage;

namespace FacilityHub.Hub.Api;

/// <summary>Sites, the live snapshot, recent rejections, counters and health.</summary>
public static class StatusApi
{
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(HubRoutes.Sites, (SiteRegistry sites) => TypedResults.Ok(sites.Document));

        app.MapGet(HubRoutes.Latest, (LatestState state, TimeProvider time) => TypedResults.Ok(state.Snapshot(time.GetUtcNow())));

        app.MapGet(HubRoutes.Rejected, GetRejected);

        app.MapGet("/api/stats", (HubMetrics m, DeadLetters d, StorageQueue q, PublishThrottle t) => TypedResults.Ok(new Stats(
            m.Received, m.Accepted, m.Rejected, m.Stored, m.WriteRetries, m.StorageRefused, q.Depth, q.Capacity,
            d.Counts.ToDictionary(kv => kv.Key.Code(), kv => kv.Value), t.Stats())));

        app.MapGet(HubRoutes.Health, GetHealthAsync);
        return app;
    }

    private static Results<Ok<IReadOnlyList<RejectedMessage>>, ProblemHttpResult> GetRejected(int? limit, DeadLetters deadLetters)
    {
        var n = limit ?? 50;
        if (n is < 1 or > 200)
        {
            return TypedResults.Problem($"limit {n} must be 1–200", statusCode: StatusCodes.Status400BadRequest, title: "Bad rejected request");
        }
        IReadOnlyList<RejectedMessage> list = [.. deadLetters.RecentFirst(n)
            .Select(d => new RejectedMessage(d.ArrivedAt, d.Topic, d.Reason.Code(), d.Detail, d.PayloadHead))];
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<Health>, JsonHttpResult<Health>>> GetHealthAsync(
        IBrokerStatus broker, InfluxClient influx, InfluxWriter writer, StorageQueue queue, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        var influxUp = await influx.PingAsync(timeout.Token);
        var health = new Health(
            broker.IsReady && influxUp ? "ok" : "degraded",
            new Component(broker.IsReady, broker.Describe()),
            new Component(influxUp, influxUp ? (writer.IsFailing ? "reachable, writes failing" : "reachable") : "unreachable"),
            queue.Depth,
            queue.Capacity);
        return broker.IsReady && influxUp
            ? TypedResults.Ok(health)
            : TypedResults.Json(health, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    public sealed record RejectedMessage(DateTimeOffset ArrivedAt, string Topic, string Reason, string Detail, string PayloadHead);

    public sealed record Component(bool Ok, string Detail);

    public sealed record Health(string Status, Component Broker, Component Influx, int QueueDepth, int QueueCapacity);

    public sealed record Stats(
        long Received, long Accepted, long Rejected, long Stored, long WriteRetries, long StorageRefused,
        int QueueDepth, int QueueCapacity, IReadOnlyDictionary<string, long> RejectedByReason, ThrottlingStats Throttling);
}
