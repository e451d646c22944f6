using System.Text.Json;
using System.Text.Json.Serialization;

namespace FacilityHub.Dashboard.Agents;

/// <summary>
/// One entry of the hub's <c>GET /api/rejected</c> (most recent first): the hub's <c>StatusApi.RejectedMessage</c>
/// as it crosses the wire. <see cref="Reason"/> is a <c>RejectReasons.Code</c> (<c>out_of_range</c>, …).
/// </summary>
public sealed record RejectedMessage(DateTimeOffset ArrivedAt, string Topic, string Reason, string Detail, string PayloadHead);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IReadOnlyList<RejectedMessage>))]
internal sealed partial class AgentsJsonContext : JsonSerializerContext;
