using System.Diagnostics;
using System.Text;
using FacilityHub.Hub.Broker;
using FacilityHub.TestSupport;

namespace FacilityHub.Hub.Tests.Broker;

public sealed class SecretHashTests
{
    [Fact]
    public void Create_ThenVerify_AcceptsTheSecretOnly()
    {
        var hash = SecretHash.Create("correct horse", SecretHash.MinIterations);
        Assert.True(hash.Verify("correct horse"u8));
        Assert.False(hash.Verify("correct hors"u8));
        Assert.False(hash.Verify(""u8));
    }

    [Fact]
    public void Create_SameSecretTwice_DifferentSalts()
    {
        var a = SecretHash.Create("s", SecretHash.MinIterations).ToString();
        var b = SecretHash.Create("s", SecretHash.MinIterations).ToString();
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void ToString_IsMosquittoSevenFormatAndParsesBack()
    {
        var line = SecretHash.Create("s3cret").ToString();
        var parts = line.Split('$');
        Assert.Equal(["", "7", "210000"], parts[..3]);
        Assert.Equal(12, Convert.FromBase64String(parts[3]).Length);
        Assert.Equal(64, Convert.FromBase64String(parts[4]).Length);
        Assert.True(SecretHash.TryParse(line, out var parsed, out _));
        Assert.Equal(line, parsed.ToString());
        Assert.True(parsed.Verify("s3cret"u8));
    }

    [Theory]
    [InlineData(null, "must start with '$7$'")]
    [InlineData("hunter2", "must start with '$7$'")]
    [InlineData("$6$abc$def", "must start with '$7$'")]
    [InlineData("$7$1000$c2FsdHNhbHQ=", "must be $7$iterations$salt$hash")]
    [InlineData("$7$-5$c2FsdHNhbHQ=$aGFzaA==", "iterations must be a positive whole number")]
    [InlineData("$7$1000$!!!$aGFzaA==", "salt must be base64")]
    [InlineData("$7$1000$c2FsdA==$aGFzaA==", "salt must be base64 of at least 8 bytes")]
    [InlineData("$7$1000$c2FsdHNhbHQ=$aGFzaA==", "hash must be base64 of 64 bytes")]
    public void TryParse_Malformed_SaysWhatWithoutRepeatingTheValue(string? text, string expected)
    {
        Assert.False(SecretHash.TryParse(text, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        if (text is { Length: > 3 })
        {
            Assert.DoesNotContain(text[3..], problem, StringComparison.Ordinal);
        }
    }

    /// <summary>The other direction of the shared format: a hash Debian's mosquitto_passwd made verifies in the hub.</summary>
    [Fact]
    public async Task Verify_HashWrittenByMosquittoPasswd_AcceptsItsSecret()
    {
        using var dir = new TempDir("passwd");
        var file = dir.Combine("passwd");
        using (var tool = Process.Start("mosquitto_passwd", ["-c", "-b", file, "edge-civic", "ümlaut & spaces"])!)
        {
            await tool.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, tool.ExitCode);
        }
        var line = Assert.Single(await File.ReadAllLinesAsync(file, TestContext.Current.CancellationToken));
        Assert.StartsWith("edge-civic:$7$", line, StringComparison.Ordinal);
        Assert.True(SecretHash.TryParse(line["edge-civic:".Length..], out var hash, out var problem), problem);
        Assert.True(hash.Verify(Encoding.UTF8.GetBytes("ümlaut & spaces")));
        Assert.False(hash.Verify("ümlaut & space"u8));
    }
}
