using FacilityHub.Hub.Broker;
using FacilityHub.Hub.Tests.Support;
using FacilityHub.TestSupport;

namespace FacilityHub.Hub.Tests.Integration;

/// <summary>A wrong setting stops the hub at start-up with exit code 2 and one line naming the setting and why.</summary>
public sealed class StartupTests(SharedInflux influx)
{
    public static TheoryData<string[], string> BadSettings => new()
    {
        { ["--Influx:Url", "not-a-url"], "Influx:Url 'not-a-url' must be an absolute http(s) URL" },
        { ["--Broker:Port", "70000"], "Broker:Port 70000 must be 1–65535" },
        { ["--Broker:Mode", "Sideways"], "Broker:Mode" },
        { ["--Influx:BatchSize", "lots"], "Influx:BatchSize" },
        { ["--Influx:BatchSzie", "10"], "unknown setting(s) 'BatchSzie' in section 'Influx'" },
        { ["--Influx:FlushInterval", "-00:00:01"], "Influx:FlushInterval" },
        { ["--Ingest:MaxPayloadBytes", "10"], "Ingest:MaxPayloadBytes 10 must be" },
        { ["--Crowding:CrowdedPct", "20"], "Crowding: crowding thresholds must satisfy" },
        { ["--Live:PushInterval", "-00:00:01"], "Live:PushInterval" },
        { ["--Sites:RegistryPath", "/nonexistent/sites.json"], "Sites:RegistryPath '/nonexistent/sites.json' does not exist" },
        { ["--Broker:TopicPrefix", "fh/#"], "Broker:TopicPrefix" },
        { ["--BrokerAuth:Agents:edge-civic:SecretHash", "$7$1000$x$y"], "BrokerAuth:Agents:edge-civic:SecretHash is not a hash-secret line: salt must be base64" },
        { ["--BrokerAuth:Agents:edge-typo:SecretHash", SecretHash.Create("s", SecretHash.MinIterations).ToString()], "BrokerAuth:Agents:edge-typo: agent 'edge-typo' is not in the site registry's agents" },
        { ["--BrokerAuth:Agents:edge-civic:Secret", "x"], "unknown setting(s) 'Secret' in section 'BrokerAuthAgent'" },
        { ["--BrokerAuth:Agents:edge-civic:Revoked", "maybe"], "Failed to convert configuration value 'maybe' at 'BrokerAuth:Agents:edge-civic:Revoked'" },
        { ["--Broker:Tls:Enabled", "true", "--Broker:Tls:CertificatePath", "/nonexistent/cert.pem"], "Broker:Tls:CertificatePath '/nonexistent/cert.pem' does not exist" },
        { ["--Access:UsersFile", ""], "Access:UsersFile is required" },
        { ["--Access:UsersFile", "/nonexistent/users.json"], "Access:UsersFile '/nonexistent/users.json': directory '/nonexistent' does not exist" },
        { ["--Access:KeysDirectory", "/proc/fh-keys"], "Access:KeysDirectory '/proc/fh-keys' cannot be created" },
        { ["--Access:TokenLifetime", "00:00:10"], "Access:TokenLifetime 00:00:10 must be between" },
        { ["--Access:MaxFailuresPerUser", "0"], "Access:MaxFailuresPerUser 0 must be at least 1" },
        { ["--Access:FailureWindow", "-00:01:00"], "Access:FailureWindow" },
        { ["--Access:Users", "x"], "unknown setting(s) 'Users' in section 'Access'" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Start_BadSetting_ExitsWithOneLineNamingIt(string[] setting, string expected)
    {
        var output = await StartExpectingFailureAsync(setting);
        var lines = output.Split('\n').Where(l => l.Contains("Configuration error", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_RegistryWithDuplicateId_NamesTheEntry()
    {
        using var dir = new TempDir("registry");
        var json = await File.ReadAllTextAsync(RepoPaths.SampleRegistry);
        // Give the second shelter the first shelter's id.
        var ids = System.Text.RegularExpressions.Regex.Matches(json, "\"id\":\\s*\"(shl-[a-z0-9-]+)\"").Select(m => m.Groups[1].Value).Distinct().Take(2).ToArray();
        var path = dir.Combine("sites.json");
        await File.WriteAllTextAsync(path, json.Replace($"\"{ids[1]}\"", $"\"{ids[0]}\"", StringComparison.Ordinal));

        var output = await StartExpectingFailureAsync(["--Sites:RegistryPath", path]);
        Assert.Contains($"site '{ids[0]}': duplicate id", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PlainSecretWhereTheHashGoes_RefusedWithoutPrintingTheSecret()
    {
        var output = await StartExpectingFailureAsync(["--BrokerAuth:Agents:edge-civic:SecretHash", "hunter2-plain-secret"]);
        Assert.Contains("BrokerAuth:Agents:edge-civic:SecretHash is not a hash-secret line", output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-plain-secret", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ not json", "is not a valid users file")]
    [InlineData("""{"version": 1, "users": [{"name": "boss", "displayName": "B", "role": "boss", "passwordHash": "AQAAAAIAAYagAAAAEMLubOisG1sO4aXS3eRXpsBpVkLI3tBH0ux+91Sqp7mXPF1ug9NV5yxR9JuoCcTo7g==", "disabled": false, "changedAt": "2026-11-24T00:00:00Z"}]}""",
        "users[0] 'boss': role 'boss' is not one of it, disaster, weather, admin, service")]
    public async Task Start_BadUsersFile_ExitsWithOneLineNamingTheFile(string json, string expected)
    {
        using var dir = new TempDir("users");
        var path = dir.Combine("users.json");
        await File.WriteAllTextAsync(path, json);

        var output = await StartExpectingFailureAsync(["--Access:UsersFile", path]);
        var line = Assert.Single(output.Split('\n'), l => l.Contains("Configuration error", StringComparison.Ordinal));
        Assert.Contains($"Access:UsersFile '{path}' ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    private async Task<string> StartExpectingFailureAsync(string[] setting)
    {
        // A users file that does not exist yet is valid (no users), so only the setting under test is wrong.
        using var access = new TempDir("access");
        var args = new List<string>
        {
            "--Access:UsersFile", access.Combine("users.json"),
            "--urls", $"http://127.0.0.1:{Ports.GetFree()}",
            "--Influx:Url", influx.Server.Url.ToString(),
            "--Broker:Port", Ports.GetFree().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Sites:RegistryPath", RepoPaths.SampleRegistry,
        };
        args.AddRange(setting);
        await using var hub = ServerProcess.StartProject("Hub", args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await hub.WaitForExitAsync(timeout.Token);
        Assert.True(hub.ExitCode == 2, $"exit code {hub.ExitCode}; output:\n{hub.Output}");
        return hub.Output;
    }
}
