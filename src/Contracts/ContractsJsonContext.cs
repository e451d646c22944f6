using System.Text.Json.Serialization;
using FacilityHub.Contracts.Access;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Quality;
using FacilityHub.Contracts.Sites;

namespace FacilityHub.Contracts;

/// <summary>Source-generated JSON for everything Hub, Edge and Dashboard exchange: camelCase, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    System.Text.Json.JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ApSample))]
[JsonSerializable(typeof(ShelterReport))]
[JsonSerializable(typeof(WeatherObservation))]
[JsonSerializable(typeof(AgentStatus))]
[JsonSerializable(typeof(AckMessage))]
[JsonSerializable(typeof(SiteRegistryDocument))]
[JsonSerializable(typeof(LiveSnapshot))]
[JsonSerializable(typeof(IReadOnlyList<ApState>))]
[JsonSerializable(typeof(IReadOnlyList<ShelterState>))]
[JsonSerializable(typeof(IReadOnlyList<WeatherState>))]
[JsonSerializable(typeof(IReadOnlyList<AgentState>))]
[JsonSerializable(typeof(WeatherQuality))]
[JsonSerializable(typeof(QualityFlag))]
[JsonSerializable(typeof(HistoryResponse))]
[JsonSerializable(typeof(IReadOnlyList<RejectedMessage>))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(VerifyRequest))]
[JsonSerializable(typeof(UserInfo))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
