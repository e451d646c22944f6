using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FacilityHub.Contracts.Sites;

[JsonConverter(typeof(JsonStringEnumConverter<SiteKind>))]
public enum SiteKind
{
    [JsonStringEnumMemberName("civic_center")] CivicCenter,
    [JsonStringEnumMemberName("community_center")] CommunityCenter,
    [JsonStringEnumMemberName("shelter")] Shelter,
    [JsonStringEnumMemberName("weather_station")] WeatherStation,
}

public sealed record District(string Id, string NameJa, string NameEn);

/// <summary>
/// A place the hub knows. <see cref="Capacity"/> (想定収容人数) is set for shelters only.
/// </summary>
public sealed record Site(
    string Id,
    SiteKind Kind,
    string NameJa,
    string NameEn,
    string District,
    double Lat,
    double Lon,
    int? Capacity = null)
{
    /// <summary>Sites whose Wi-Fi the IT staff watch; a shelter gym may have APs too.</summary>
    [JsonIgnore]
    public bool HasAccessPoints => Kind is SiteKind.CivicCenter or SiteKind.CommunityCenter or SiteKind.Shelter;
}

/// <summary>A Wi-Fi access point, installed at <see cref="Site"/>; <see cref="Floor"/> lets the Civic Center grid group by floor.</summary>
public sealed record AccessPoint(string Id, string Site, string? Floor = null, string? Label = null);

/// <summary>The registry file as written on disk.</summary>
public sealed record SiteRegistryDocument(
    string? City,
    string? Note,
    IReadOnlyList<District>? Districts,
    IReadOnlyList<Site>? Sites,
    IReadOnlyList<AccessPoint>? AccessPoints,
    IReadOnlyList<RegisteredAgent>? Agents = null);

/// <summary>A registry entry that makes the whole registry unusable.</summary>
public sealed class SiteRegistryException(string message) : Exception(message);

/// <summary>
/// The validated, indexed site registry. Loaded once at start-up; a bad entry stops the process
/// with one line naming the entry and the problem.
/// </summary>
public sealed partial class SiteRegistry
{
    private readonly Dictionary<string, Site> _sites;
    private readonly Dictionary<string, AccessPoint> _accessPoints;
    private readonly Dictionary<string, District> _districts;
    private readonly Dictionary<string, List<AccessPoint>> _accessPointsBySite;

    private SiteRegistry(SiteRegistryDocument document)
    {
        Document = document;
        City = document.City!;
        Districts = document.Districts!;
        Sites = document.Sites!;
        AccessPoints = document.AccessPoints ?? [];
        _districts = Districts.ToDictionary(d => d.Id, StringComparer.Ordinal);
        _sites = Sites.ToDictionary(s => s.Id, StringComparer.Ordinal);
        _accessPoints = AccessPoints.ToDictionary(a => a.Id, StringComparer.Ordinal);
        _accessPointsBySite = AccessPoints.GroupBy(a => a.Site).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        Agents = document.Agents ?? [];
        _grants = IndexAgents(Agents, _sites);
    }

    public SiteRegistryDocument Document { get; }

    public string City { get; }

    public IReadOnlyList<District> Districts { get; }

    public IReadOnlyList<Site> Sites { get; }

    public IReadOnlyList<AccessPoint> AccessPoints { get; }

    public IEnumerable<Site> OfKind(SiteKind kind) => Sites.Where(s => s.Kind == kind);

    public bool TryGetSite(string id, [MaybeNullWhen(false)] out Site site) => _sites.TryGetValue(id, out site);

    public bool TryGetAccessPoint(string id, [MaybeNullWhen(false)] out AccessPoint accessPoint) =>
        _accessPoints.TryGetValue(id, out accessPoint);

    public bool TryGetDistrict(string id, [MaybeNullWhen(false)] out District district) => _districts.TryGetValue(id, out district);

    public IReadOnlyList<AccessPoint> AccessPointsAt(string siteId) =>
        _accessPointsBySite.TryGetValue(siteId, out var list) ? list : [];

    public static SiteRegistry Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SiteRegistryException($"site registry '{path}' cannot be read: {e.Message}");
        }
        return Parse(json, path);
    }

    public static SiteRegistry Parse(string json, string source = "site registry")
    {
        SiteRegistryDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, ContractsJsonContext.Default.SiteRegistryDocument);
        }
        catch (JsonException e)
        {
            throw new SiteRegistryException($"{source}: not a valid registry document: {e.Message}");
        }
        if (document is null)
        {
            throw new SiteRegistryException($"{source}: the document is empty");
        }
        if (Validate(document).FirstOrDefault() is { } problem)
        {
            throw new SiteRegistryException($"{source}: {problem}");
        }
        return new SiteRegistry(document);
    }

    /// <summary>Every problem in the document, each naming its entry; empty when the registry is usable.</summary>
    public static IEnumerable<string> Validate(SiteRegistryDocument document)
    {
        if (string.IsNullOrWhiteSpace(document.City))
        {
            yield return "city is missing";
        }
        if (document.Districts is not { Count: > 0 } districts)
        {
            yield return "districts is missing or empty";
            yield break;
        }
        if (document.Sites is not { Count: > 0 } sites)
        {
            yield return "sites is missing or empty";
            yield break;
        }

        var districtIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in districts)
        {
            if (d is null || !Ids.IsValid(d.Id))
            {
                yield return $"district '{d?.Id}': id must match [a-z0-9][a-z0-9_-]{{0,62}}";
            }
            else if (!districtIds.Add(d.Id))
            {
                yield return $"district '{d.Id}': duplicate id";
            }
            else if (string.IsNullOrWhiteSpace(d.NameJa) || string.IsNullOrWhiteSpace(d.NameEn))
            {
                yield return $"district '{d.Id}': nameJa and nameEn are required";
            }
        }

        // Sites and access points share one id space: /api/history names a device by id alone.
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var siteKinds = new Dictionary<string, SiteKind>(StringComparer.Ordinal);
        foreach (var s in sites)
        {
            if (s is null || !Ids.IsValid(s.Id))
            {
                yield return $"site '{s?.Id}': id must match [a-z0-9][a-z0-9_-]{{0,62}}";
                continue;
            }
            if (!ids.Add(s.Id))
            {
                yield return $"site '{s.Id}': duplicate id";
                continue;
            }
            siteKinds[s.Id] = s.Kind;
            if (!Enum.IsDefined(s.Kind))
            {
                yield return $"site '{s.Id}': unknown kind";
            }
            if (string.IsNullOrWhiteSpace(s.NameJa) || string.IsNullOrWhiteSpace(s.NameEn))
            {
                yield return $"site '{s.Id}': nameJa and nameEn are required";
            }
            if (s.District is null || !districtIds.Contains(s.District))
            {
                yield return $"site '{s.Id}': district '{s.District}' is not in districts";
            }
            if (!double.IsFinite(s.Lat) || s.Lat is < -90 or > 90 || !double.IsFinite(s.Lon) || s.Lon is < -180 or > 180)
            {
                yield return $"site '{s.Id}': lat/lon {s.Lat},{s.Lon} is not a position on Earth";
            }
            if (s.Kind == SiteKind.Shelter && s.Capacity is not > 0)
            {
                yield return $"site '{s.Id}': a shelter needs capacity > 0, got {s.Capacity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}";
            }
            if (s.Kind != SiteKind.Shelter && s.Capacity is not null)
            {
                yield return $"site '{s.Id}': capacity is only for shelters";
            }
        }

        foreach (var a in document.AccessPoints ?? [])
        {
            if (a is null || !Ids.IsValid(a.Id))
            {
                yield return $"access point '{a?.Id}': id must match [a-z0-9][a-z0-9_-]{{0,62}}";
                continue;
            }
            if (!ids.Add(a.Id))
            {
                yield return $"access point '{a.Id}': duplicate id";
                continue;
            }
            if (a.Site is null || !siteKinds.TryGetValue(a.Site, out var kind))
            {
                yield return $"access point '{a.Id}': site '{a.Site}' is not in sites";
            }
            else if (kind == SiteKind.WeatherStation)
            {
                yield return $"access point '{a.Id}': site '{a.Site}' is a weather station";
            }
        }

        foreach (var problem in ValidateAgents(document.Agents ?? [], siteKinds))
        {
            yield return problem;
        }
    }
}
