namespace FacilityHub.Contracts.Topics;

public enum TopicKind
{
    Ap,
    Shelter,
    Weather,
    AgentStatus,
    Ack,
}

/// <summary>A parsed topic. For <see cref="TopicKind.Ap"/> <see cref="Id"/> is the site and <see cref="ApId"/> the access point.</summary>
public sealed record TopicAddress(TopicKind Kind, string Id, string? ApId = null);

/// <summary>
/// The one place that knows the topic scheme (PROTOCOL.md "MQTT topics"). The prefix is configurable;
/// every level after it is fixed, and every identifier must satisfy <see cref="Ids.IsValid"/>.
/// </summary>
public sealed class TopicScheme
{
    public const string DefaultPrefix = "fh/v1";

    private readonly string[] _prefixLevels;

    public TopicScheme(string prefix = DefaultPrefix)
    {
        if (!IsValidPrefix(prefix, out var problem))
        {
            throw new ArgumentException(problem, nameof(prefix));
        }
        Prefix = prefix;
        _prefixLevels = prefix.Split('/');
    }

    public string Prefix { get; }

    /// <summary>Everything the hub ingests: <c>{prefix}/#</c>.</summary>
    public string AllMessages => $"{Prefix}/#";

    public string Ap(string siteId, string apId) => $"{Prefix}/ap/{siteId}/{apId}";

    public string Shelter(string shelterId) => $"{Prefix}/shelter/{shelterId}";

    public string Weather(string stationId) => $"{Prefix}/weather/{stationId}";

    public string AgentStatus(string agentId) => $"{Prefix}/agent/{agentId}/status";

    public string Ack(string agentId) => $"{Prefix}/ack/{agentId}";

    public string Format(TopicAddress address) => address.Kind switch
    {
        TopicKind.Ap => Ap(address.Id, address.ApId ?? throw new ArgumentException("An AP topic needs an AP id.", nameof(address))),
        TopicKind.Shelter => Shelter(address.Id),
        TopicKind.Weather => Weather(address.Id),
        TopicKind.AgentStatus => AgentStatus(address.Id),
        TopicKind.Ack => Ack(address.Id),
        _ => throw new ArgumentOutOfRangeException(nameof(address)),
    };

    /// <summary>Parses a topic; on failure <paramref name="problem"/> says which level is wrong.</summary>
    public bool TryParse(string topic, out TopicAddress address, out string problem)
    {
        address = null!;
        if (topic.Contains('+') || topic.Contains('#'))
        {
            problem = "topic contains a wildcard";
            return false;
        }
        var levels = topic.Split('/');
        if (levels.Length <= _prefixLevels.Length)
        {
            problem = $"topic must start with '{Prefix}/' and name a kind";
            return false;
        }
        for (var i = 0; i < _prefixLevels.Length; i++)
        {
            if (!string.Equals(levels[i], _prefixLevels[i], StringComparison.Ordinal))
            {
                problem = $"topic must start with '{Prefix}/'";
                return false;
            }
        }
        var rest = levels.AsSpan(_prefixLevels.Length);
        foreach (var level in rest)
        {
            if (level.Length == 0)
            {
                problem = "topic has an empty level";
                return false;
            }
        }

        (TopicKind Kind, int Ids, string? Suffix)? shape = rest[0] switch
        {
            "ap" => (TopicKind.Ap, 2, null),
            "shelter" => (TopicKind.Shelter, 1, null),
            "weather" => (TopicKind.Weather, 1, null),
            "agent" => (TopicKind.AgentStatus, 1, "status"),
            "ack" => (TopicKind.Ack, 1, null),
            _ => null,
        };
        if (shape is not { } s)
        {
            problem = $"unknown topic kind '{Truncate(rest[0])}'";
            return false;
        }
        var expected = 1 + s.Ids + (s.Suffix is null ? 0 : 1);
        if (rest.Length != expected)
        {
            problem = $"'{rest[0]}' topics have {expected} levels after the prefix, got {rest.Length}";
            return false;
        }
        if (s.Suffix is not null && !string.Equals(rest[^1], s.Suffix, StringComparison.Ordinal))
        {
            problem = $"'{rest[0]}' topics end in '/{s.Suffix}'";
            return false;
        }
        for (var i = 1; i <= s.Ids; i++)
        {
            if (!Ids.IsValid(rest[i]))
            {
                problem = $"'{Truncate(rest[i])}' is not a valid id ([a-z0-9][a-z0-9_-]{{0,62}})";
                return false;
            }
        }
        address = new TopicAddress(s.Kind, rest[1], s.Ids == 2 ? rest[2] : null);
        problem = "";
        return true;
    }

    public static bool IsValidPrefix(string? prefix, out string problem)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            problem = "topic prefix is empty";
            return false;
        }
        foreach (var level in prefix.Split('/'))
        {
            if (level.Length == 0 || level.Contains('+') || level.Contains('#') || level.StartsWith('$'))
            {
                problem = $"topic prefix '{prefix}' must be non-empty levels without wildcards or '$'";
                return false;
            }
        }
        problem = "";
        return true;
    }

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
