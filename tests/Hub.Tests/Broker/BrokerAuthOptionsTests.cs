using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Topics;
using FacilityHub.Hub.Broker;
using FacilityHub.TestSupport;

namespace FacilityHub.Hub.Tests.Broker;

public sealed class BrokerAuthOptionsTests
{
    private static readonly SiteRegistry Registry = SiteRegistry.Load(RepoPaths.SampleRegistry);
    private static readonly string Hash = SecretHash.Create("s", SecretHash.MinIterations).ToString();

    private static BrokerAuthOptions With(string id, string? hash, bool revoked = false)
    {
        var options = new BrokerAuthOptions();
        options.Agents[id] = new BrokerAuthAgentOptions { SecretHash = hash, Revoked = revoked };
        return options;
    }

    [Fact]
    public void Problems_ValidHashesAndRevokedWithoutHash_None()
    {
        var options = With("edge-civic", Hash);
        options.Agents["wx-office"] = new BrokerAuthAgentOptions { Revoked = true };
        Assert.Empty(options.Problems());
        Assert.Empty(options.ProblemsWith(Registry));
    }

    [Theory]
    [InlineData("edge-civic", "plain-text-secret", "BrokerAuth:Agents:edge-civic:SecretHash is not a hash-secret line: must start with '$7$'")]
    [InlineData("edge-civic", null, "BrokerAuth:Agents:edge-civic:SecretHash is required")]
    [InlineData("Edge Civic", "$7$…", "BrokerAuth:Agents:Edge Civic: agent id must match")]
    public void Problems_BadEntry_OneLineNamingTheKeyNotTheValue(string id, string? hash, string expected)
    {
        var problem = Assert.Single(With(id, hash).Problems());
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("plain-text-secret", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_TooFewIterations_SaysHowMany()
    {
        var weak = SecretHash.Create("s", 101).ToString(); // mosquitto_passwd's default
        var problem = Assert.Single(With("edge-civic", weak).Problems());
        Assert.Contains("has 101 iterations; use 10000–5000000", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ProblemsWith_AgentNotInRegistry_NamesIt() =>
        Assert.Equal(
            ["BrokerAuth:Agents:edge-typo: agent 'edge-typo' is not in the site registry's agents"],
            With("edge-typo", Hash).ProblemsWith(Registry));

    [Fact]
    public void MosquittoAuthFiles_Render_SameGrantsAsTheEmbeddedBrokerAndRevokedLeftOut()
    {
        var options = With("edge-civic", Hash);
        options.Agents["edge-shelters"] = new BrokerAuthAgentOptions { SecretHash = Hash };
        options.Agents["wx-office"] = new BrokerAuthAgentOptions { SecretHash = Hash, Revoked = true };
        var hubHash = SecretHash.Create("hub-secret", SecretHash.MinIterations);

        var files = MosquittoAuthFiles.Render(Registry, options, new TopicScheme(), "facilityhub", hubHash);

        Assert.Equal(["edge-civic", "edge-shelters"], files.Agents);
        Assert.Equal($"facilityhub:{hubHash}\nedge-civic:{Hash}\nedge-shelters:{Hash}\n", files.Passwd);
        Assert.DoesNotContain("wx-office", files.Acl, StringComparison.Ordinal);
        Assert.Contains("user facilityhub\ntopic read fh/v1/#\ntopic write fh/v1/ack/#\n", files.Acl, StringComparison.Ordinal);
        Assert.Contains("""

            user edge-civic
            topic write fh/v1/agent/edge-civic/status
            topic write fh/v1/ap/civic-center/+
            topic read fh/v1/ack/edge-civic

            """.ReplaceLineEndings("\n"), files.Acl, StringComparison.Ordinal);
        // A shelter: its reports and its gym's APs, as MayPublish allows.
        Assert.Contains("topic write fh/v1/shelter/shl-juo-jhs\n", files.Acl, StringComparison.Ordinal);
        Assert.Contains("topic write fh/v1/ap/shl-juo-jhs/+\n", files.Acl, StringComparison.Ordinal);
        var shelterLines = files.Acl.Split('\n').SkipWhile(l => l != "user edge-shelters").Skip(1).TakeWhile(l => l.Length > 0).ToList();
        Assert.Equal(2 + Registry.GrantsOf("edge-shelters").Count, shelterLines.Count);
    }
}
