using System.Text.Json;
using FacilityHub.Contracts;

namespace FacilityHub.Hub.Ingest;

/// <summary>Best-effort <c>agent</c> and <c>seq</c> of a refused message, so that it can be acknowledged and not re-sent forever.</summary>
internal static class Identity
{
    public static (string? Agent, long? Seq) TryRead(ReadOnlySpan<byte> payload)
    {
        string? agent = null;
        long? seq = null;
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }
            while (reader.Read() && reader.CurrentDepth >= 1)
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }
                if (reader.ValueTextEquals("agent"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    agent = reader.GetString();
                }
                else if (reader.ValueTextEquals("seq"u8) && reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var s) && s >= 0)
                {
                    seq = s;
                }
            }
        }
        catch (JsonException)
        {
            // Unreadable: nothing to acknowledge. Anything read before the error is still usable.
        }
        catch (InvalidOperationException)
        {
        }
        return agent is not null && Ids.IsValid(agent) && seq is not null ? (agent, seq) : (null, null);
    }
}
