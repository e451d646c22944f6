using System.Buffers;
using System.Collections;
using System.Text;
using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Topics;
using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Broker;
using FacilityHub.Hub.Ingest;
using FacilityHub.Hub.Live;
using FacilityHub.Hub.Quality;
using FacilityHub.Hub.Storage;
using FacilityHub.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace FacilityHub.Hub.Tests.Broker;

/// <summary>The embedded broker's decisions, on the sample registry's agents, without a network.</summary>
public sealed class AgentAuthorizationTests
{
    private const string Secret = "civic-secret";
    private static readonly SiteRegistry Registry = SiteRegistry.Load(RepoPaths.SampleRegistry);
    private static readonly string CivicHash = SecretHash.Create(Secret, SecretHash.MinIterations).ToString();

    private readonly StorageQueue _queue = new(Options.Create(new InfluxOptions()));
    private readonly DeadLetters _deadLetters = new(NullLogger<DeadLetters>.Instance, TimeProvider.System);

    private AgentAuthorization Create(bool allowAnonymous = false)
    {
        var auth = new BrokerAuthOptions { AllowAnonymous = allowAnonymous };
        auth.Agents["edge-civic"] = new BrokerAuthAgentOptions { SecretHash = CivicHash };
        auth.Agents["wx-office"] = new BrokerAuthAgentOptions { SecretHash = CivicHash, Revoked = true };
        auth.Agents["edge-shelters"] = new BrokerAuthAgentOptions { Revoked = true };
        var ingestor = new Ingestor(
            new MessageDecoder(new TopicScheme(), Registry, new IngestOptions().ToLimits()), Registry,
            new LatestState(Options.Create(new CrowdingOptions())), new WeatherQualityControl(Options.Create(new QualityOptions())), _queue, _deadLetters, new HubMetrics(), TimeProvider.System);
        return new AgentAuthorization(Options.Create(auth), Options.Create(new BrokerOptions()), Registry, ingestor,
            TimeProvider.System, NullLogger<AgentAuthorization>.Instance);
    }

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Authenticate_AgentWithItsSecretAndId_Accepted() =>
        Assert.Equal(new ConnectDecision(MqttConnectReasonCode.Success), Create().Authenticate("edge-civic", "edge-civic", Bytes(Secret)));

    [Fact]
    public void Authenticate_AgentWithoutClientId_GetsItsAgentIdAssigned()
    {
        var decision = Create().Authenticate("", "edge-civic", Bytes(Secret));
        Assert.True(decision.Accepted);
        Assert.Equal("edge-civic", decision.AssignedClientId);
    }

    [Theory]
    [InlineData("edge-civic", "edge-civic", "wrong", MqttConnectReasonCode.BadUserNameOrPassword, "wrong secret")]
    [InlineData("edge-civic", "edge-civic", "", MqttConnectReasonCode.BadUserNameOrPassword, "wrong secret")]
    [InlineData("edge-nobody", "edge-nobody", Secret, MqttConnectReasonCode.BadUserNameOrPassword, "unknown agent")]
    [InlineData("edge-sim", "edge-sim", Secret, MqttConnectReasonCode.BadUserNameOrPassword, "unknown agent")] // in the registry, no credentials
    [InlineData("wx-office", "wx-office", Secret, MqttConnectReasonCode.NotAuthorized, "agent is revoked")]
    [InlineData("wx-office", "wx-office", "wrong", MqttConnectReasonCode.NotAuthorized, "agent is revoked")]
    [InlineData("edge-shelters", "edge-shelters", "x", MqttConnectReasonCode.NotAuthorized, "agent is revoked")] // revoked, hash removed
    [InlineData("edge-shelters", "edge-civic", Secret, MqttConnectReasonCode.ClientIdentifierNotValid, "client id must be the agent id")]
    [InlineData("edge-civic", null, null, MqttConnectReasonCode.NotAuthorized, "anonymous clients are refused")]
    [InlineData("", "", null, MqttConnectReasonCode.NotAuthorized, "anonymous clients are refused")]
    public void Authenticate_BadCredentials_RefusedWithReasonCode(string clientId, string? user, string? password, MqttConnectReasonCode code, string refusal)
    {
        var decision = Create().Authenticate(clientId, user, password is null ? [] : Bytes(password));
        Assert.Equal(code, decision.Code);
        Assert.Contains(refusal, decision.Refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, decision.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Authenticate_AnonymousWhenAllowed_AcceptedWithAnAssignedIdWhenItHasNone()
    {
        var authorization = Create(allowAnonymous: true);
        Assert.True(authorization.Authenticate("my-device", null, []).Accepted);
        var decision = authorization.Authenticate("", null, []);
        Assert.True(decision.Accepted);
        Assert.StartsWith("anon-", decision.AssignedClientId, StringComparison.Ordinal);
    }

    [Fact]
    public void Authenticate_AnonymousWithAnAgentsClientId_RefusedSoItCannotTakeOverTheSession() =>
        Assert.Equal(MqttConnectReasonCode.ClientIdentifierNotValid, Create(allowAnonymous: true).Authenticate("edge-civic", null, []).Code);

    [Theory]
    [InlineData("fh/v1/ap/civic-center/civic-1f-01", true)]
    [InlineData("fh/v1/agent/edge-civic/status", true)]
    [InlineData("fh/v1/ap/cc-juo/cc-juo-ap1", false)] // another agent's site
    [InlineData("fh/v1/shelter/shl-juo-es", false)]
    [InlineData("fh/v1/agent/edge-sim/status", false)] // another agent's status
    [InlineData("fh/v1/ack/edge-civic", false)] // acks are the hub's
    [InlineData("fh/v1/ap/civic-center", false)] // outside the scheme: no grant can match it
    [InlineData("other/topic", false)]
    public void MayPublish_Agent_OnlyItsStatusAndSites(string topic, bool allowed) =>
        Assert.Equal(allowed, Create().MayPublish("edge-civic", topic));

    [Fact]
    public void MayPublish_Anonymous_Unrestricted() =>
        Assert.True(Create(allowAnonymous: true).MayPublish(null, "fh/v1/ack/edge-civic"));

    [Theory]
    [InlineData("fh/v1/ack/edge-civic", true)]
    [InlineData("#", false)]
    [InlineData("fh/v1/#", false)]
    [InlineData("fh/v1/ack/+", false)]
    [InlineData("fh/v1/ack/edge-sim", false)]
    [InlineData("$share/g/fh/v1/ack/edge-civic", false)]
    public void MaySubscribe_Agent_OnlyItsOwnAckTopic(string filter, bool allowed) =>
        Assert.Equal(allowed, Create().MaySubscribe("edge-civic", filter));

    [Fact]
    public async Task AuthorizePublish_OutsideGrants_NotProcessedPubAckNotAuthorizedAndDeadLettered()
    {
        var args = new InterceptingPublishEventArgs(
            new MqttApplicationMessageBuilder().WithTopic("fh/v1/shelter/shl-juo-es").WithPayload("{\"occupancy\":5}").Build(),
            "edge-civic", "edge-civic", new Hashtable(), CancellationToken.None);

        Assert.False(await Create().AuthorizePublishAsync(args));

        Assert.False(args.ProcessPublish);
        Assert.Equal(MqttPubAckReasonCode.NotAuthorized, args.Response.ReasonCode);
        var letter = Assert.Single(_deadLetters.RecentFirst(10));
        Assert.Equal(RejectReason.NotAuthorized, letter.Reason);
        Assert.Equal("fh/v1/shelter/shl-juo-es", letter.Topic);
        Assert.Equal("{\"occupancy\":5}", letter.PayloadHead);
        Assert.True(_queue.TryTake(out var point));
        Assert.True(point.IsDeadLetter);
        Assert.Contains("reason=not_authorized", point.Line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizePublish_WithinGrants_LeftToIngest()
    {
        var args = new InterceptingPublishEventArgs(
            new MqttApplicationMessageBuilder().WithTopic("fh/v1/ap/civic-center/civic-1f-01").WithPayload(new ReadOnlySequence<byte>("{}"u8.ToArray())).Build(),
            "edge-civic", "edge-civic", new Hashtable(), CancellationToken.None);

        Assert.True(await Create().AuthorizePublishAsync(args));

        Assert.True(args.ProcessPublish);
        Assert.Empty(_deadLetters.RecentFirst(10));
    }

    [Fact]
    public async Task InterceptSubscription_WildcardFromAgent_NotCreatedSubAckNotAuthorized()
    {
        var args = new InterceptingSubscriptionEventArgs("edge-civic", "edge-civic", null!,
            new MqttTopicFilterBuilder().WithTopic("#").Build(), [], CancellationToken.None);

        await Create().InterceptSubscriptionAsync(args);

        Assert.False(args.ProcessSubscription);
        Assert.Equal(MqttSubscribeReasonCode.NotAuthorized, args.Response.ReasonCode);
    }
}
