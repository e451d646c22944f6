namespace FacilityHub.Contracts.Validation;

/// <summary>Why the hub refused a message (PROTOCOL.md "What the hub does with a bad message").</summary>
public enum RejectReason
{
    /// <summary>Payload over the size limit (16 KiB by default).</summary>
    TooLarge,

    /// <summary>
    /// Not valid UTF-8 (or starting with a byte order mark), not well-formed JSON, nested deeper than 8, a key
    /// given twice at any depth, an escaped lone surrogate, or more than 64 keys.
    /// </summary>
    InvalidJson,

    /// <summary>Topic outside the scheme: wrong prefix, unknown kind, wildcard, empty level, malformed id.</summary>
    BadTopic,

    /// <summary>A well-formed id that the site registry does not know.</summary>
    UnknownId,

    MissingField,

    /// <summary>A field of the wrong JSON type, or a string that is not one of its allowed values.</summary>
    WrongType,

    /// <summary>A number that is not finite, lies outside its physical range, or overflows its whole-number field.</summary>
    OutOfRange,

    /// <summary><c>ts</c> too far in the past or the future.</summary>
    TsOutOfWindow,

    /// <summary>InfluxDB refused the point with a 4xx (field type conflict and the like).</summary>
    StorageRejected,

    /// <summary>The publishing agent may not publish on the topic (the site registry assigns it other sites).</summary>
    NotAuthorized,
}

public static class RejectReasons
{
    /// <summary>The reason as it appears in metrics, logs and the <c>rejected</c> measurement's tag.</summary>
    public static string Code(this RejectReason reason) => reason switch
    {
        RejectReason.TooLarge => "too_large",
        RejectReason.InvalidJson => "invalid_json",
        RejectReason.BadTopic => "bad_topic",
        RejectReason.UnknownId => "unknown_id",
        RejectReason.MissingField => "missing_field",
        RejectReason.WrongType => "wrong_type",
        RejectReason.OutOfRange => "out_of_range",
        RejectReason.TsOutOfWindow => "ts_out_of_window",
        RejectReason.StorageRejected => "storage_rejected",
        RejectReason.NotAuthorized => "not_authorized",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };
}

/// <summary>A refusal with the specific problem, e.g. <c>out_of_range: humidityPct 140 is outside 0–100</c>.</summary>
public sealed record Rejection(RejectReason Reason, string Detail)
{
    public override string ToString() => $"{Reason.Code()}: {Detail}";
}
