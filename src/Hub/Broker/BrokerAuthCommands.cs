using System.Globalization;
using System.Text;
using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Topics;
using FacilityHub.Hosting;
using FacilityHub.Hub.Configuration;
using FacilityHub.Hub.Sites;

namespace FacilityHub.Hub.Broker;

/// <summary>
/// Operator commands of the hub binary, run instead of the hub:
/// <c>hash-secret</c> turns a secret read from standard input into the <c>$7$…</c> line for
/// <c>BrokerAuth:Agents:{id}:SecretHash</c>, so plain secrets never go into configuration;
/// <c>mosquitto-auth --out DIR</c> writes Mosquitto's <c>passwd</c> and <c>acl</c> from the same registry and
/// settings the hub reads. Exit code 0 on success, 2 with one line on standard error otherwise.
/// </summary>
public static class BrokerAuthCommands
{
    public const string HashSecret = "hash-secret";
    public const string MosquittoAuth = "mosquitto-auth";

    /// <summary>Null when <paramref name="args"/> do not name a command: the hub then starts as usual.</summary>
    public static async Task<int?> TryRunAsync(string[] args, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.FirstOrDefault() switch
        {
            HashSecret => RunHashSecret(args[1..], ReadSecret(), Console.Out, Console.Error),
            MosquittoAuth => await RunMosquittoAuthAsync(args[1..], Console.Out, Console.Error, ct),
            _ => null,
        };
    }

    internal static int RunHashSecret(string[] args, string? secret, TextWriter stdout, TextWriter stderr)
    {
        var iterations = SecretHash.DefaultIterations;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--iterations" && i + 1 < args.Length
                && int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
                && iterations is >= SecretHash.MinIterations and <= SecretHash.MaxIterations)
            {
                continue;
            }
            return Fail(stderr, HashSecret, $"usage: {HashSecret} [--iterations {SecretHash.MinIterations}–{SecretHash.MaxIterations}] < secret");
        }
        if (string.IsNullOrEmpty(secret))
        {
            return Fail(stderr, HashSecret, "no secret on standard input (one line; e.g. openssl rand -base64 24)");
        }
        stdout.WriteLine(SecretHash.Create(secret, iterations).ToString());
        return 0;
    }

    internal static async Task<int> RunMosquittoAuthAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        string? outDir = null;
        string? registryPath = null;
        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length:
                    outDir = args[++i];
                    break;
                case "--registry" when i + 1 < args.Length:
                    registryPath = args[++i];
                    break;
                default:
                    settings.Add(args[i]);
                    break;
            }
        }
        if (outDir is null)
        {
            return Fail(stderr, MosquittoAuth,
                $"usage: {MosquittoAuth} --out DIR [--registry PATH] [--Section:Key value …] (settings as for the hub: BrokerAuth, Broker:Username/Password/TopicPrefix, Sites:RegistryPath)");
        }

        MosquittoAuthFiles files;
        try
        {
            var configuration = HubConfiguration(settings, registryPath);
            var auth = Bind<BrokerAuthOptions>(configuration, BrokerAuthOptions.Section);
            var broker = Bind<BrokerOptions>(configuration, BrokerOptions.Section);
            var sites = Bind<SitesOptions>(configuration, SitesOptions.Section);
            var problems = auth.Problems().Concat(broker.Problems()).Concat(sites.Problems()).ToList();
            if (problems.Count > 0)
            {
                return Fail(stderr, MosquittoAuth, string.Join("; ", problems));
            }
            var registry = SiteRegistry.Load(sites.RegistryPath);
            problems = [.. auth.ProblemsWith(registry), .. HubUserProblems(broker, registry)];
            if (problems.Count > 0)
            {
                return Fail(stderr, MosquittoAuth, string.Join("; ", problems));
            }
            files = MosquittoAuthFiles.Render(registry, auth, new TopicScheme(broker.TopicPrefix), broker.Username!, SecretHash.Create(broker.Password!));
            Directory.CreateDirectory(outDir);
            // The hashes are not the secrets, but still nobody else's business.
            await WriteReplacingAsync(Path.Combine(outDir, "passwd"), files.Passwd, UnixFileMode.UserRead | UnixFileMode.UserWrite, ct);
            await WriteReplacingAsync(Path.Combine(outDir, "acl"), files.Acl,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, ct);
        }
        catch (Exception e) when (StartupProblem.Describe(e) is { } problem)
        {
            return Fail(stderr, MosquittoAuth, problem);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(stderr, MosquittoAuth, $"--out '{Path.GetFullPath(outDir)}': {e.Message}");
        }

        var dir = Path.GetFullPath(outDir);
        await stdout.WriteLineAsync($"{MosquittoAuth}: wrote {Path.Combine(dir, "passwd")} and {Path.Combine(dir, "acl")}: the hub's user and {files.Agents.Count} agent(s) ({string.Join(", ", files.Agents)}).");
        await stdout.WriteLineAsync("mosquitto.conf needs (the files readable by the user mosquitto runs as):");
        await stdout.WriteLineAsync("  allow_anonymous false");
        await stdout.WriteLineAsync($"  password_file {Path.Combine(dir, "passwd")}");
        await stdout.WriteLineAsync($"  acl_file {Path.Combine(dir, "acl")}");
        await stdout.WriteLineAsync("  use_username_as_clientid true   # one session per agent, as on the embedded broker");
        return 0;
    }

    /// <summary>The hub's own Mosquitto user comes from the settings it connects with in External mode.</summary>
    private static IEnumerable<string> HubUserProblems(BrokerOptions broker, SiteRegistry registry)
    {
        if (string.IsNullOrEmpty(broker.Username) || string.IsNullOrEmpty(broker.Password))
        {
            yield return "Broker:Username and Broker:Password are required: they are the hub's own user in the password file";
        }
        else if (broker.Username.Contains(':', StringComparison.Ordinal) || broker.Username.Any(char.IsWhiteSpace))
        {
            yield return $"Broker:Username '{broker.Username}' cannot go in a Mosquitto password file (no ':' or spaces)";
        }
        else if (registry.TryGetAgent(broker.Username, out _))
        {
            yield return $"Broker:Username '{broker.Username}' is also an agent id; the hub needs a user of its own";
        }
    }

    /// <summary>The hub's own configuration, with the registry path from <c>--registry</c> when given.</summary>
    private static IConfiguration HubConfiguration(List<string> settings, string? registryPath) =>
        CommandConfiguration.Build(settings, registryPath is null
            ? []
            : [new($"{SitesOptions.Section}:{nameof(SitesOptions.RegistryPath)}", registryPath)]);

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new() =>
        configuration.GetSection(section).Get<T>(o => o.ErrorOnUnknownConfiguration = true) ?? new T();

    private static async Task WriteReplacingAsync(string path, string text, UnixFileMode mode, CancellationToken ct)
    {
        // Written beside and renamed over: Mosquitto (or a reload) never reads half a file.
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }
        await using (var stream = new FileStream(temp, options))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, mode);
        }
        File.Move(temp, path, overwrite: true);
    }

    private static string? ReadSecret() => CommandConfiguration.ReadSecretLine("Secret");

    private static int Fail(TextWriter stderr, string command, string problem)
    {
        stderr.WriteLine($"{command}: {problem}");
        return 2;
    }
}
