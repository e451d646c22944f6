using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Access;
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
        // Which agent may publish for which site is the broker's business, not the public map's.
        app.MapGet(HubRoutes.Sites, (SiteRegistry sites) => TypedResults.Ok(sites.Document with { Agents = null })).RequireAuthorization();

        // The same shape for every role; the views a role may not see are empty (docs/decisions/0007).
        app.MapGet(HubRoutes.Latest, (LatestState state, TimeProvider time, ClaimsPrincipal user) =>
            TypedResults.Ok(state.Snapshot(time.GetUtcNow()).VisibleTo(user.Role()))).RequireAuthorization();

        app.MapGet(HubRoutes.Rejected, GetRejected).RequireAuthorization(AccessPolicies.Operations);

        // Per agent: online, last status, outbox depth and the age of its oldest unacknowledged message.
        app.MapGet(HubRoutes.Agents, (LatestState state, TimeProvider time) => TypedResults.Ok(state.Snapshot(time.GetUtcNow()).Agents
            .OrderBy(a => a.AgentId, StringComparer.Ordinal)
            .Select(a => new AgentSummary(a.AgentId, a.Status.State == Contracts.Messages.AgentPresence.Online, a.Status.Ts, a.ReceivedAt,
                a.Status.Queued, a.Status.OldestUnackedS, a.Status.Evicted, a.Status.Version))
            .ToList())).RequireAuthorization(AccessPolicies.Operations);

        app.MapGet(HubRoutes.Stats, (HubMetrics m, DeadLetters d, StorageQueue q, Spill s, Acknowledgements a, PublishThrottle t) => TypedResults.Ok(new Stats(
            m.Received, m.Accepted, m.Rejected, m.Stored, m.WriteRetries, m.StorageRefused, q.Depth, q.Capacity,
            m.Spilled, s.PendingLines, a.Published, d.Counts.ToDictionary(kv => kv.Key.Code(), kv => kv.Value), t.Stats())))
            .RequireAuthorization(AccessPolicies.Operations);

        // Load balancers and run scripts probe it without credentials; it says nothing about the data.
        app.MapGet(HubRoutes.Health, GetHealthAsync).AllowAnonymous();
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

    public sealed record AgentSummary(
        string Agent, bool Online, DateTimeOffset StatusTs, DateTimeOffset ReceivedAt, long? Queued, long? OldestUnackedS, long? Evicted, string? Version);

    public sealed record Component(bool Ok, string Detail);

    public sealed record Health(string Status, Component Broker, Component Influx, int QueueDepth, int QueueCapacity);

    public sealed record Stats(
        long Received, long Accepted, long Rejected, long Stored, long WriteRetries, long StorageRefused,
        int QueueDepth, int QueueCapacity, long Spilled, long SpillPending, long Acknowledged, IReadOnlyDictionary<string, long> RejectedByReason, ThrottlingStats Throttling);
}
