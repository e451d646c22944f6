using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Access;

/// <summary>What a token says: who, with which role, issued when, valid until when.</summary>
internal sealed record TokenClaims(string User, string Role, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Bearer tokens: the user, role and issue time, encrypted and signed by ASP.NET Core Data Protection with an
/// expiry (<see cref="ITimeLimitedDataProtector"/>). Opaque to clients, checkable without a database, and
/// revocable through the users file (<see cref="UserStore.Admits"/>). The keys live in <c>Access:KeysDirectory</c>,
/// so tokens survive a restart of the hub.
/// </summary>
internal sealed class AccessTokens(IDataProtectionProvider provider, IOptions<AccessOptions> options, TimeProvider time)
{
    // The purpose string isolates these tokens from anything else protected with the same keys; v1 is the payload format.
    private readonly ITimeLimitedDataProtector _protector =
        provider.CreateProtector("FacilityHub.Hub.Access.Token.v1").ToTimeLimitedDataProtector();

    private readonly TimeSpan _lifetime = options.Value.TokenLifetime;

    public TokenClaims Issue(UserEntry user, out string token)
    {
        var now = time.GetUtcNow();
        var claims = new TokenClaims(user.Name, user.Role, now, now + _lifetime);
        // Names and roles cannot contain '\n' (UsersFile.IsValidName, Roles.IsKnown).
        token = _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{user.Name}\n{user.Role}\n{now.UtcTicks}"), claims.ExpiresAt);
        return claims;
    }

    public bool TryRead(string token, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TokenClaims? claims)
    {
        claims = null;
        string payload;
        DateTimeOffset expires;
        try
        {
            // Throws for a token that was tampered with, made with unknown keys, or has expired.
            payload = _protector.Unprotect(token, out expires);
        }
        catch (CryptographicException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
        var parts = payload.Split('\n');
        if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }
        claims = new TokenClaims(parts[0], parts[1], new DateTimeOffset(ticks, TimeSpan.Zero), expires);
        return true;
    }
}
