using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using FacilityHub.Contracts.Access;
using Microsoft.AspNetCore.Identity;

namespace FacilityHub.Hub.Access;

/// <summary>One person or service account in the users file; <see cref="PasswordHash"/> is ASP.NET Core Identity's format.</summary>
internal sealed record UserEntry(string Name, string DisplayName, string Role, string PasswordHash, bool Disabled, DateTimeOffset ChangedAt)
{
    public UserInfo ToInfo() => new(Name, DisplayName, Role, Disabled);
}

internal sealed record UsersDocument(int Version, IReadOnlyList<UserEntry> Users);

/// <summary>A users file that cannot be used: the message says what is wrong, never a hash.</summary>
internal sealed class UsersFileException(string message) : Exception(message);

/// <summary>
/// The hub's users file (<c>Access:UsersFile</c>): reading with every problem named, atomic writing, and the
/// password hashing both the CLI and the hub use. Self-contained (BCL, Contracts and ASP.NET Core Identity's
/// <see cref="PasswordHasher{TUser}"/> only) so that TestSupport can compile the same file and write a users
/// file without starting a process per test hub.
/// </summary>
internal static partial class UsersFile
{
    public const int CurrentVersion = 1;
    public const int MinPasswordLength = 10;
    public const int MaxDisplayNameLength = 200;

    // The hasher does not look at the user; it only needs a type.
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object Nobody = new();

    /// <summary>Names: lowercase letters, digits, '-', '_', '.'; 1–64 characters (they go in logs and URLs as they are).</summary>
    public static bool IsValidName([NotNullWhen(true)] string? name) => name is not null && NamePattern().IsMatch(name);

    public const string NameRule = "1–64 of a-z, 0-9, '-', '_', '.'";

    public static string HashPassword(string password) => Hasher.HashPassword(Nobody, password);

    /// <summary>Constant-time in the comparison (the hasher's own); false for a hash that does not parse.</summary>
    public static bool VerifyPassword(string passwordHash, string password)
    {
        try
        {
            return Hasher.VerifyHashedPassword(Nobody, passwordHash, password) != PasswordVerificationResult.Failed;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The users in <paramref name="path"/>; none when the file does not exist yet.</summary>
    /// <exception cref="UsersFileException">The file cannot be read or is not a valid users file.</exception>
    public static IReadOnlyList<UserEntry> Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        catch (DirectoryNotFoundException)
        {
            throw new UsersFileException($"directory '{Path.GetDirectoryName(Path.GetFullPath(path))}' does not exist");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsersFileException($"cannot be read: {e.Message}");
        }
        UsersDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(bytes, UsersJsonContext.Default.UsersDocument);
        }
        catch (JsonException e)
        {
            throw new UsersFileException($"is not a valid users file: {e.Message}");
        }
        if (document is null)
        {
            throw new UsersFileException("is not a valid users file: null");
        }
        if (document.Version != CurrentVersion)
        {
            throw new UsersFileException($"has version {document.Version}; this hub reads version {CurrentVersion}");
        }
        var problems = Problems(document.Users).ToList();
        return problems.Count == 0 ? document.Users : throw new UsersFileException(string.Join("; ", problems));
    }

    public static IEnumerable<string> Problems(IReadOnlyList<UserEntry> users)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < users.Count; i++)
        {
            var u = users[i];
            var at = $"users[{i}]";
            if (!IsValidName(u.Name))
            {
                yield return $"{at}: name '{Clip(u.Name)}' must be {NameRule}";
                continue;
            }
            at += $" '{u.Name}'";
            if (!seen.Add(u.Name))
            {
                yield return $"{at}: duplicate name";
            }
            if (!Roles.IsKnown(u.Role))
            {
                yield return $"{at}: role '{Clip(u.Role)}' is not one of {string.Join(", ", Roles.All)}";
            }
            if (string.IsNullOrWhiteSpace(u.DisplayName) || u.DisplayName.Length > MaxDisplayNameLength || u.DisplayName.Any(char.IsControl))
            {
                yield return $"{at}: displayName must be 1–{MaxDisplayNameLength} characters without control characters";
            }
            if (!LooksLikeHash(u.PasswordHash))
            {
                // Never the value: someone may have typed the plain password here.
                yield return $"{at}: passwordHash is not an ASP.NET Core Identity password hash (set one with: users reset-password {u.Name})";
            }
        }
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="users"/>: written to a temporary file beside it, flushed to
    /// disk, then renamed over it, so the hub (which may reload at any moment) reads the old file or the new one, never half.
    /// </summary>
    public static void Save(string path, IReadOnlyList<UserEntry> users)
    {
        var problems = Problems(users).ToList();
        if (problems.Count > 0)
        {
            throw new UsersFileException(string.Join("; ", problems));
        }
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Hashes are not passwords, but an offline guessing attack needs only the hash.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                JsonSerializer.Serialize(stream, new UsersDocument(CurrentVersion, users), Writing);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// Runs a read-modify-write under an exclusive lock file beside the users file, so two CLI invocations at once
    /// cannot lose each other's change. The hub only reads and takes no lock.
    /// </summary>
    public static T Update<T>(string path, Func<List<UserEntry>, T> change)
    {
        // Kept, not deleted on close: deleting it could let a third command lock a new file while a second holds the old one.
        var lockPath = Path.GetFullPath(path) + ".lock";
        var deadline = DateTime.UtcNow.AddSeconds(10);
        FileStream? held = null;
        while (held is null)
        {
            try
            {
                held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e is not DirectoryNotFoundException && DateTime.UtcNow < deadline)
            {
                // Another command holds the lock: it finishes in well under a second.
                Thread.Sleep(50);
            }
        }
        using (held)
        {
            return change(Load(path).ToList());
        }
    }

    // The file is read by people too: display names in Japanese and hashes' '+' stay as they are, not \uXXXX.
    // Never embedded in HTML, so the relaxed encoder's only risk does not apply.
    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<UsersDocument> Writing =
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<UsersDocument>)new JsonSerializerOptions(UsersJsonContext.Default.Options)
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }.GetTypeInfo(typeof(UsersDocument));

    private static bool LooksLikeHash(string? hash)
    {
        if (string.IsNullOrEmpty(hash) || hash.Length > 1024)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[hash.Length];
        // Format marker 0x01: Identity v3 (PBKDF2 with the PRF, iterations and salt in the header).
        return Convert.TryFromBase64String(hash, bytes, out var written) && written > 13 && bytes[0] == 0x01;
    }

    private static string Clip(string? s) => s is null ? "" : s.Length <= 64 ? s : s[..64] + "…";

    [GeneratedRegex("^[a-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    WriteIndented = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(UsersDocument))]
internal sealed partial class UsersJsonContext : JsonSerializerContext;
