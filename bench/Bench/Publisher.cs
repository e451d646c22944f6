using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Topics;
using MQTTnet;
using MQTTnet.Protocol;

/// <summary>
/// The city mix's load generator: several agents' connections driven as one, each with its own share of the devices
/// and its own <c>seq</c>, paced together to a total rate. Every sub-command that publishes uses it.
/// </summary>
internal sealed class Generator : IAsyncDisposable
{
    private readonly Publisher[] _publishers;

    private Generator(Device[] devices, Publisher[] publishers) => (Devices, _publishers) = (devices, publishers);

    public Device[] Devices { get; }

    public IReadOnlyList<Publisher> Publishers => _publishers;

    /// <summary>
    /// Connects <paramref name="publishers"/> agents named <c>{agentPrefix}{n}</c>; with <paramref name="subscribeAcks"/>
    /// each also subscribes (QoS 1) to its own <c>fh/v1/ack/{agent}</c>, as a real agent does.
    /// </summary>
    public static async Task<Generator> ConnectAsync(int mqttPort, Device[] devices, int publishers, string agentPrefix, bool subscribeAcks)
    {
        var connected = new Publisher[publishers];
        try
        {
            for (var p = 0; p < publishers; p++)
            {
                connected[p] = await Publisher.ConnectAsync(mqttPort, $"{agentPrefix}{p}", devices.Where((_, i) => i % publishers == p).ToArray(), subscribeAcks);
            }
        }
        catch
        {
            foreach (var c in connected.Where(c => c is not null))
            {
                await c.DisposeAsync();
            }
            throw;
        }
        return new Generator(devices, connected);
    }

    public string Describe()
    {
        var counts = Devices.GroupBy(d => d.Kind).ToDictionary(g => g.Key, g => g.Count());
        return $"{Devices.Length:N0} devices ({counts.GetValueOrDefault(DeviceKind.Ap):N0} APs, {counts.GetValueOrDefault(DeviceKind.Shelter):N0} shelters, "
            + $"{counts.GetValueOrDefault(DeviceKind.Weather):N0} stations), {_publishers.Length} QoS 1 connections";
    }

    /// <summary>
    /// Publishes <paramref name="total"/> messages at <paramref name="rate"/> msg/s over all connections, bounded by
    /// <paramref name="limit"/> and <paramref name="stop"/>; returns how many were published (each got its PUBACK,
    /// or counts in <see cref="TakeFailures"/>).
    /// </summary>
    public async Task<long> PublishAsync(double rate, long total, TimeSpan limit, CancellationToken stop = default)
    {
        var n = _publishers.Length;
        var sends = _publishers.Select((p, i) => p.RunAsync(rate / n, total / n + (i < total % n ? 1 : 0), limit, stop)).ToArray();
        return (await Task.WhenAll(sends)).Sum();
    }

    public long TakeFailures() => _publishers.Sum(p => p.TakeFailures());

    /// <summary>A fresh send log per agent, recording what is sent in [from, until) (Stopwatch ticks).</summary>
    public IReadOnlyDictionary<string, SendLog> StartLogs(long fromTicks, long untilTicks)
    {
        var logs = new Dictionary<string, SendLog>(StringComparer.Ordinal);
        foreach (var p in _publishers)
        {
            logs[p.Agent] = p.Log = new SendLog(fromTicks, untilTicks);
        }
        return logs;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _publishers)
        {
            await p.DisposeAsync();
        }
    }
}

/// <summary>One agent's connection: its own devices, one growing <c>seq</c>, a window of outstanding QoS 1 publishes.</summary>
internal sealed class Publisher : IAsyncDisposable
{
    // As a real agent with an outbox would have: a bounded number of unacknowledged publishes.
    private const int Window = 500;
    private static readonly TimeSpan TimerResolution = TimeSpan.FromMilliseconds(1);
    private readonly IMqttClient _client;
    private readonly Device[] _devices;
    private readonly SemaphoreSlim _window = new(Window);
    private long _seq;
    private int _cursor;
    private long _failures;

    private Publisher(IMqttClient client, string agent, Device[] devices, AckLedger? acks) => (_client, Agent, _devices, Acks) = (client, agent, devices, acks);

    public string Agent { get; }

    /// <summary>The hub's acknowledgements of this agent's seqs, when the connection subscribed to them.</summary>
    public AckLedger? Acks { get; }

    private volatile SendLog? _log;

    /// <summary>Where the send time of each message goes; may be changed while the publisher runs (read per message).</summary>
    public SendLog? Log
    {
        get => _log;
        set => _log = value;
    }

    /// <summary>The last seq handed to MQTT; seqs start at 1 on every connection.</summary>
    public long LastSeq => Interlocked.Read(ref _seq);

    public static async Task<Publisher> ConnectAsync(int port, string agent, Device[] devices, bool subscribeAcks)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        AckLedger? acks = null;
        try
        {
            if (subscribeAcks)
            {
                // Registered before the connection opens, so no ack can arrive unseen; the handler only marks seqs,
                // quickly: MQTTnet's receive loop, which also completes our PUBACKs, waits for it.
                var ledger = acks = new AckLedger();
                client.ApplicationMessageReceivedAsync += e =>
                {
                    ledger.Receive(e.ApplicationMessage.Payload.ToArray());
                    return Task.CompletedTask;
                };
            }
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithTcpServer(tcp => tcp.BufferSize = MqttSocket.BufferBytes).WithoutPacketFragmentation().WithClientId($"{agent}-{Environment.ProcessId}")
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(30)).Build());
            if (subscribeAcks)
            {
                var topic = new TopicScheme("fh/v1").Ack(agent);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                var subscribed = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build(), timeout.Token);
                if (subscribed.Items.FirstOrDefault()?.ResultCode is not MqttClientSubscribeResultCode.GrantedQoS1)
                {
                    throw new InvalidOperationException($"{agent}: subscribing to {topic} at QoS 1 answered {subscribed.Items.FirstOrDefault()?.ResultCode}");
                }
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return new Publisher(client, agent, devices, acks);
    }

    public long TakeFailures() => Interlocked.Exchange(ref _failures, 0);

    /// <summary>Publishes <paramref name="count"/> messages at <paramref name="rate"/>, bounded by <paramref name="limit"/> and <paramref name="stop"/>; returns how many were published.</summary>
    public async Task<long> RunAsync(double rate, long count, TimeSpan limit, CancellationToken stop = default)
    {
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>((int)Math.Min(1_000_000, Math.Min(count, rate * limit.TotalSeconds + 1)));
        long sent = 0;
        var headMs = -1L;
        byte[] head = [];
        while (sent < count && clock.Elapsed < limit && !stop.IsCancellationRequested)
        {
            var due = Math.Min(count, (long)(clock.Elapsed.TotalSeconds * rate) + 1);
            if (sent >= due)
            {
                // Nothing due: wait for the next message's time (message k is due at k / rate), at least the timer's resolution.
                var wait = TimeSpan.FromSeconds(sent / rate) - clock.Elapsed;
                try
                {
                    await Task.Delay(wait > TimerResolution ? wait : TimerResolution, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                continue;
            }
            while (sent < due && clock.Elapsed < limit)
            {
                var left = limit - clock.Elapsed;
                if (!_window.Wait(0) && !await _window.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero))
                {
                    break;
                }
                var now = DateTimeOffset.UtcNow;
                var ms = now.ToUnixTimeMilliseconds();
                if (ms != headMs)
                {
                    (headMs, head) = (ms, Fields.Head(DateTimeOffset.FromUnixTimeMilliseconds(ms), Agent));
                }
                var device = _devices[_cursor];
                _cursor = (_cursor + 1) % _devices.Length;
                var seq = _seq + 1;
                var message = new MqttApplicationMessageBuilder().WithTopic(device.Topic)
                    .WithPayload(Fields.Payload(head, seq, device.Rest)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                Interlocked.Exchange(ref _seq, seq);
                Acks?.Sent(seq);
                // The send time is taken last, just before the message is handed to MQTT.
                _log?.Sent(seq, Stopwatch.GetTimestamp());
                pending.Add(PublishAsync(message));
                sent++;
            }
        }
        await Task.WhenAll(pending);
        return sent;
    }

    private async Task PublishAsync(MqttApplicationMessage message)
    {
        try
        {
            var result = await _client.PublishAsync(message);
            if (!result.IsSuccess)
            {
                Interlocked.Increment(ref _failures);
            }
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            Interlocked.Increment(ref _failures);
        }
        finally
        {
            _window.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync();
        _client.Dispose();
        _window.Dispose();
    }
}

/// <summary>
/// When each of one agent's messages was handed to MQTT, by seq, for the messages sent inside a recording window
/// (Stopwatch ticks, this process's clock: the payload's ms <c>ts</c> is too coarse for µs latencies). A ring indexed
/// by seq, written by the agent's one publishing loop and read by the live clients' handlers without a lock: the seq
/// slot is written after the time, so a reader that finds its seq finds its time.
/// </summary>
internal sealed class SendLog(long fromTicks, long untilTicks)
{
    // A power of two; one agent reuses a slot only after 262,144 later messages (a minute at 16k msg/s over 4 agents).
    private const int Capacity = 1 << 18;
    private const long Mask = Capacity - 1;
    private readonly long[] _seqs = new long[Capacity];
    private readonly long[] _ticks = new long[Capacity];
    private long _recorded;

    /// <summary>Messages sent inside the window.</summary>
    public long Recorded => Interlocked.Read(ref _recorded);

    public void Sent(long seq, long ticks)
    {
        if (ticks < fromTicks || ticks >= untilTicks)
        {
            return;
        }
        var slot = seq & Mask;
        _ticks[slot] = ticks;
        Volatile.Write(ref _seqs[slot], seq);
        Interlocked.Increment(ref _recorded);
    }

    public bool TryGet(long seq, out long ticks)
    {
        var slot = seq & Mask;
        ticks = Volatile.Read(ref _ticks[slot]);
        // Read the seq after the time and compare: a slot being reused for a later seq is then never mistaken for this one.
        return seq > 0 && Volatile.Read(ref _seqs[slot]) == seq;
    }
}

/// <summary>
/// Which of one agent's seqs the hub has acknowledged on <c>fh/v1/ack/{agent}</c> (PROTOCOL.md: inclusive ranges,
/// sent once the points are durable), and what the acks looked like. Waiting for a count is a completion, not polling.
/// </summary>
internal sealed class AckLedger
{
    // What an agent's parser accepts (src/Edge/Outbox/AckParser.cs): an ack beyond either is refused whole by a real agent.
    public const int AgentMaxRanges = 10_000;
    public const int AgentMaxPayloadBytes = 256 * 1024;

    private readonly Lock _gate = new();
    private ulong[] _bits = new ulong[4096];
    private long _acked;
    private long _duplicates;
    private long _unsent;
    private long _messages;
    private long _malformed;
    private int _maxRanges;
    private int _maxBytes;
    private long _target = long.MaxValue;
    private TaskCompletionSource? _reached;

    private long _sentSoFar;

    /// <summary>The publisher's last seq handed to MQTT: an ack beyond it names a seq never sent.</summary>
    public void Sent(long seq) => Interlocked.Exchange(ref _sentSoFar, seq);

    public AckFigures Figures()
    {
        lock (_gate)
        {
            return new AckFigures(_acked, _duplicates, _unsent, _messages, _malformed, _maxRanges, _maxBytes);
        }
    }

    public void Receive(byte[] payload)
    {
        var sentSoFar = Interlocked.Read(ref _sentSoFar);
        AckMessage? ack;
        try
        {
            ack = JsonSerializer.Deserialize(payload, ContractsJsonContext.Default.AckMessage);
        }
        catch (JsonException)
        {
            ack = null;
        }
        lock (_gate)
        {
            _messages++;
            _maxBytes = Math.Max(_maxBytes, payload.Length);
            if (ack?.Ranges is not { } ranges)
            {
                _malformed++;
                return;
            }
            _maxRanges = Math.Max(_maxRanges, ranges.Count);
            foreach (var range in ranges)
            {
                if (range is not [var from, var to] || from < 1 || to < from)
                {
                    _malformed++;
                    continue;
                }
                // Bounded by what was sent: a range beyond it is counted, never walked.
                _unsent += Math.Max(0, to - Math.Max(from - 1, sentSoFar));
                for (var seq = from; seq <= Math.Min(to, sentSoFar); seq++)
                {
                    Mark(seq);
                }
            }
            if (_acked >= _target)
            {
                _reached?.TrySetResult();
            }
        }
    }

    private void Mark(long seq)
    {
        var word = seq >> 6;
        if (word >= _bits.Length)
        {
            Array.Resize(ref _bits, (int)Math.Max(_bits.Length * 2L, word + 1));
        }
        var bit = 1UL << (int)(seq & 63);
        if ((_bits[word] & bit) != 0)
        {
            _duplicates++;
            return;
        }
        _bits[word] |= bit;
        _acked++;
    }

    /// <summary>Waits until at least <paramref name="count"/> distinct sent seqs are acknowledged, or <paramref name="timeout"/>; true when they are.</summary>
    public async Task<bool> WaitForAsync(long count, TimeSpan timeout)
    {
        Task reached;
        lock (_gate)
        {
            if (_acked >= count)
            {
                return true;
            }
            _target = count;
            _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            reached = _reached.Task;
        }
        try
        {
            await reached.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}

/// <summary>
/// Distinct seqs acknowledged, acks for seqs already acknowledged, acknowledged seqs never sent, ack messages,
/// malformed acks or ranges, and the largest ack (ranges, bytes) seen.
/// </summary>
internal sealed record AckFigures(long Acked, long Duplicates, long Unsent, long Messages, long Malformed, int MaxRanges, int MaxBytes);
