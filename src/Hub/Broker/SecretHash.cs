using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FacilityHub.Hub.Broker;

/// <summary>
/// A hashed agent secret in Mosquitto 2.0's own password-file format, <c>$7$iterations$saltBase64$hashBase64</c>:
/// PBKDF2-HMAC-SHA512 with a per-secret random salt and a 64-byte key. Using Mosquitto's format means one hash
/// string in the hub's configuration serves both brokers: the embedded broker verifies it here, and
/// <c>mosquitto-auth</c> copies it unchanged into Mosquitto's password file (docs/decisions/0004).
/// </summary>
public sealed class SecretHash
{
    public const string Prefix = "$7$";

    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA512: about 0.1 s per connect on one core.</summary>
    public const int DefaultIterations = 210_000;

    /// <summary>
    /// Fewer makes a guessed secret cheap to test offline (mosquitto_passwd's own default is 101); more than
    /// <see cref="MaxIterations"/> would make every connect a CPU burn an agent could trigger at will.
    /// </summary>
    public const int MinIterations = 10_000;

    public const int MaxIterations = 5_000_000;

    // mosquitto_passwd's salt length; any length from 8 bytes is accepted when reading.
    private const int SaltBytes = 12;
    private const int KeyBytes = 64;

    private readonly byte[] _salt;
    private readonly byte[] _key;

    private SecretHash(int iterations, byte[] salt, byte[] key)
    {
        Iterations = iterations;
        _salt = salt;
        _key = key;
    }

    public int Iterations { get; }

    /// <summary>Hashes <paramref name="secret"/> (UTF-8, as MQTT carries it) with a fresh random salt.</summary>
    public static SecretHash Create(string secret, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var key = new byte[KeyBytes];
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, key, iterations, HashAlgorithmName.SHA512);
        return new SecretHash(iterations, salt, key);
    }

    /// <summary>Parses a hash line; <paramref name="problem"/> says what is wrong without repeating the value.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SecretHash? hash, out string problem)
    {
        hash = null;
        if (string.IsNullOrEmpty(text) || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            problem = $"must start with '{Prefix}' (Mosquitto 2.0's PBKDF2-SHA512 format)";
            return false;
        }
        var parts = text[Prefix.Length..].Split('$');
        if (parts.Length != 3)
        {
            problem = $"must be {Prefix}iterations$salt$hash";
            return false;
        }
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            problem = "iterations must be a positive whole number";
            return false;
        }
        if (!TryDecode(parts[1], out var salt) || salt.Length < 8)
        {
            problem = "salt must be base64 of at least 8 bytes";
            return false;
        }
        if (!TryDecode(parts[2], out var key) || key.Length != KeyBytes)
        {
            problem = $"hash must be base64 of {KeyBytes} bytes";
            return false;
        }
        hash = new SecretHash(iterations, salt, key);
        problem = "";
        return true;
    }

    /// <summary>Whether <paramref name="secret"/> (the MQTT password bytes) hashes to this; constant-time in the comparison.</summary>
    public bool Verify(ReadOnlySpan<byte> secret)
    {
        Span<byte> key = stackalloc byte[KeyBytes];
        Rfc2898DeriveBytes.Pbkdf2(secret, _salt, key, Iterations, HashAlgorithmName.SHA512);
        return CryptographicOperations.FixedTimeEquals(key, _key);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Iterations}${Convert.ToBase64String(_salt)}${Convert.ToBase64String(_key)}");

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(text.Length)];
        if (!Convert.TryFromBase64String(text, bytes, out var written))
        {
            return false;
        }
        bytes = bytes[..written];
        return true;
    }
}
