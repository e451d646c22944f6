using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace FacilityHub.Edge.Tests.Support;

/// <summary>One data message as the test's hub received it.</summary>
internal sealed record Received(string Topic, long Seq, string Ts, byte[] Payload, DateTimeOffset At);

/// <summary>
/// The test playing the hub on a real broker: subscribes to <c>fh/v1/#</c>, keeps every data message
/// and the latest status, and acknowledges what it received on <c>fh/v1/ack/{agentId}</c> as PROTOCOL.md
/// says the hub does, while <see cref="AutoAck"/> is on. Acks are sent from a loop of their own: a
/// QoS 1 publish awaited inside MQTTnet's receive handler would wait for a PUBACK that same handler holds up.
/// </summary>
internal sealed class TestHub : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly int _port;
    private readonly string _agentId;
    private readonly Channel<long> _toAck = Channel.CreateUnbounded<long>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _ackLoop;
    private readonly Lock _lock = new();
    private readonly List<Received> _received = [];
    private readonly HashSet<long> _acked = [];

    private TestHub(int port, string agentId)
    {
        _port = port;
        _agentId = agentId;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            OnMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
        _ackLoop = AckLoopAsync(_stop.Token);
    }

    /// <summary>Acknowledge every data message as it arrives (the default).</summary>
    public bool AutoAck { get; set; } = true;

    public ConcurrentDictionary<string, AgentStatusSeen> Statuses { get; } = new(StringComparer.Ordinal);

    public string AckTopic => $"fh/v1/ack/{_agentId}";

    public static async Task<TestHub> ConnectAsync(int port, string agentId)
    {
        var hub = new TestHub(port, agentId);
        await hub.ReconnectAsync();
        return hub;
    }

    /// <summary>Connects (again, after a broker restart) and subscribes to everything.</summary>
    public async Task ReconnectAsync()
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _port)
            .WithClientId("test-hub-" + Guid.NewGuid().ToString("N")[..8])
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        await _client.ConnectAsync(options, TestContext.Current.CancellationToken);
        await _client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter("fh/v1/#", MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            TestContext.Current.CancellationToken);
    }

    public IReadOnlyList<Received> Received()
    {
        lock (_lock)
        {
            return [.. _received];
        }
    }

    public HashSet<long> DistinctSeqs()
    {
        lock (_lock)
        {
            return _received.Select(r => r.Seq).ToHashSet();
        }
    }

    /// <summary>Seqs received but never acknowledged.</summary>
    public HashSet<long> Unacked()
    {
        lock (_lock)
        {
            return _received.Select(r => r.Seq).Where(s => !_acked.Contains(s)).ToHashSet();
        }
    }

    public HashSet<long> Acked()
    {
        lock (_lock)
        {
            return [.. _acked];
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _received.Count;
            }
        }
    }

    /// <summary>Publishes an ack as the hub would; the seqs are compressed into ranges.</summary>
    public async Task AckAsync(IEnumerable<long> seqs)
    {
        var sorted = seqs.Distinct().Order().ToList();
        if (sorted.Count == 0)
        {
            return;
        }
        var ranges = new List<(long From, long To)>();
        foreach (var seq in sorted)
        {
            if (ranges.Count > 0 && ranges[^1].To == seq - 1)
            {
                ranges[^1] = (ranges[^1].From, seq);
            }
            else
            {
                ranges.Add((seq, seq));
            }
        }
        var json = $$"""{"ts":"{{DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)}}","ranges":[{{string.Join(",", ranges.Select(r => $"[{r.From},{r.To}]"))}}]}""";
        await PublishRawAsync(AckTopic, Encoding.UTF8.GetBytes(json));
        lock (_lock)
        {
            _acked.UnionWith(sorted);
        }
    }

    public async Task PublishRawAsync(string topic, byte[] payload)
    {
        var result = await _client.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            _stop.Token);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"PUBACK for {topic}: {result.ReasonCode}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _ackLoop;
        }
        catch (OperationCanceledException)
        {
        }
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }
        _client.Dispose();
        _stop.Dispose();
    }

    private void OnMessage(string topic, byte[] payload)
    {
        if (topic.EndsWith("/status", StringComparison.Ordinal))
        {
            Statuses[topic] = AgentStatusSeen.Parse(payload);
            return;
        }
        if (topic.StartsWith("fh/v1/ack/", StringComparison.Ordinal))
        {
            return;
        }
        using var doc = JsonDocument.Parse(payload);
        var seq = doc.RootElement.GetProperty("seq").GetInt64();
        var ts = doc.RootElement.GetProperty("ts").GetString()!;
        lock (_lock)
        {
            _received.Add(new Received(topic, seq, ts, payload, DateTimeOffset.UtcNow));
        }
        if (AutoAck)
        {
            _toAck.Writer.TryWrite(seq);
        }
    }

    private async Task AckLoopAsync(CancellationToken ct)
    {
        var batch = new List<long>();
        while (await _toAck.Reader.WaitToReadAsync(ct))
        {
            while (_toAck.Reader.TryRead(out var seq))
            {
                batch.Add(seq);
            }
            try
            {
                await AckAsync(batch);
                batch.Clear();
            }
            catch (Exception e) when (e is not OperationCanceledException && !_client.IsConnected)
            {
                // The broker is restarting; the agent re-sends these and they are acked then.
                batch.Clear();
            }
        }
    }
}

/// <summary>The parts of a retained agent status the tests look at.</summary>
internal sealed record AgentStatusSeen(string State, long? Queued, long? OldestUnackedS, long? Evicted)
{
    public static AgentStatusSeen Parse(byte[] payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var root = doc.RootElement;
        long? Long(string name) => root.TryGetProperty(name, out var v) ? v.GetInt64() : null;
        return new AgentStatusSeen(root.GetProperty("state").GetString()!, Long("queued"), Long("oldestUnackedS"), Long("evicted"));
    }
}
