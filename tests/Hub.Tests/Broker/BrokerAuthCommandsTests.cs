using FacilityHub.Hub.Broker;
using FacilityHub.TestSupport;

namespace FacilityHub.Hub.Tests.Broker;

/// <summary>The operator commands, run as an operator runs them: <c>dotnet FacilityHub.Hub.dll …</c>.</summary>
public sealed class BrokerAuthCommandsTests
{
    [Fact]
    public async Task HashSecret_SecretOnStdin_PrintsOnlyAHashTheHubVerifies()
    {
        var result = await HubCommand.RunAsync([BrokerAuthCommands.HashSecret, "--iterations", "20000"], "tablet gateway secret\n");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = result.Stdout.TrimEnd('\n');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("$7$20000$", line, StringComparison.Ordinal);
        Assert.True(SecretHash.TryParse(line, out var hash, out var problem), problem);
        Assert.True(hash.Verify("tablet gateway secret"u8));
        Assert.DoesNotContain("tablet gateway secret", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", new string[0], "no secret on standard input")]
    [InlineData("s\n", new[] { "--iterations", "101" }, "usage: hash-secret [--iterations 10000–5000000]")]
    [InlineData("s\n", new[] { "--salt", "x" }, "usage: hash-secret")]
    public async Task HashSecret_NoSecretOrBadOption_ExitCode2WithOneLine(string stdin, string[] options, string expected)
    {
        var result = await HubCommand.RunAsync([BrokerAuthCommands.HashSecret, .. options], stdin);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.StartsWith("hash-secret: " + expected, result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task MosquittoAuth_WithoutTheHubsCredentials_ExitCode2NamingThem()
    {
        using var dir = new TempDir("mosquitto-auth");
        var result = await HubCommand.RunAsync([BrokerAuthCommands.MosquittoAuth, "--out", dir.Path, "--registry", RepoPaths.SampleRegistry]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("mosquitto-auth: Broker:Username and Broker:Password are required", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task MosquittoAuth_BadHashAndUnknownRegistry_ExitCode2WithOneLine()
    {
        using var dir = new TempDir("mosquitto-auth");
        var badHash = await HubCommand.RunAsync([BrokerAuthCommands.MosquittoAuth, "--out", dir.Path, "--registry", RepoPaths.SampleRegistry,
            "--Broker:Username", "hub", "--Broker:Password", "p", "--BrokerAuth:Agents:edge-civic:SecretHash", "the-plain-secret"]);
        Assert.Equal(2, badHash.ExitCode);
        Assert.Equal("mosquitto-auth: BrokerAuth:Agents:edge-civic:SecretHash is not a hash-secret line: must start with '$7$' (Mosquitto 2.0's PBKDF2-SHA512 format)\n", badHash.Stderr);

        var noRegistry = await HubCommand.RunAsync([BrokerAuthCommands.MosquittoAuth, "--out", dir.Path, "--registry", "/nonexistent/sites.json",
            "--Broker:Username", "hub", "--Broker:Password", "p"]);
        Assert.Equal(2, noRegistry.ExitCode);
        Assert.Contains("Sites:RegistryPath '/nonexistent/sites.json' does not exist", noRegistry.Stderr, StringComparison.Ordinal);
    }
}
