using FacilityHub.Hub.Broker;
using FacilityHub.Hub.Ingest;
using FacilityHub.Hub.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FacilityHub.Hub.Tests.Broker;

public sealed class ClientRateLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 15, 0, TimeSpan.FromHours(9)));

    [Fact]
    public void Acquire_WithinBurst_NoWait()
    {
        var limiter = new ClientRateLimiter(10, 5, _time);
        Assert.All(Enumerable.Range(0, 5), _ => Assert.Equal(TimeSpan.Zero, limiter.Acquire("edge")));
    }

    [Fact]
    public void Acquire_BeyondBurst_WaitsForItsOwnToken()
    {
        var limiter = new ClientRateLimiter(10, 2, _time);
        limiter.Acquire("edge");
        limiter.Acquire("edge");
        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.Acquire("edge"));
        // A second message before the first has waited queues behind it.
        Assert.Equal(TimeSpan.FromMilliseconds(200), limiter.Acquire("edge"));
    }

    /// <summary>The broker awaits each wait before reading the client's next message: the client is held to the rate, to the message.</summary>
    [Fact]
    public void Acquire_ClientThatWaitsItsTurn_HeldExactlyToTheRate()
    {
        var limiter = new ClientRateLimiter(200, 10, _time);
        var start = _time.GetUtcNow();
        for (var i = 0; i < 2010; i++)
        {
            _time.Advance(limiter.Acquire("flood"));
        }
        Assert.Equal(10.0, (_time.GetUtcNow() - start).TotalSeconds, 3);
    }

    [Fact]
    public void Acquire_OneClientFlooding_OtherClientsUnaffected()
    {
        var limiter = new ClientRateLimiter(10, 2, _time);
        for (var i = 0; i < 100; i++)
        {
            limiter.Acquire("flood");
        }
        Assert.Equal(TimeSpan.Zero, limiter.Acquire("shelter-tablet"));
    }

    [Fact]
    public void Acquire_AfterIdleSpell_BurstRefilledButNotBeyond()
    {
        var limiter = new ClientRateLimiter(10, 3, _time);
        for (var i = 0; i < 10; i++)
        {
            limiter.Acquire("edge");
        }
        _time.Advance(TimeSpan.FromHours(1));
        Assert.All(Enumerable.Range(0, 3), _ => Assert.Equal(TimeSpan.Zero, limiter.Acquire("edge")));
        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.Acquire("edge"));
    }

    [Fact]
    public void Acquire_EndlessBurstWithoutWaiting_WaitStaysBounded()
    {
        var limiter = new ClientRateLimiter(100, 1, _time);
        var last = TimeSpan.Zero;
        for (var i = 0; i < 100_000; i++)
        {
            last = limiter.Acquire("flood");
        }
        Assert.True(last <= TimeSpan.FromSeconds(10.01), $"{last}");
    }

    [Fact]
    public void Acquire_ManyClientsThenIdle_IdleBucketsForgotten()
    {
        var limiter = new ClientRateLimiter(100, 10, _time);
        for (var i = 0; i < 5000; i++)
        {
            limiter.Acquire($"anon-{i}");
        }
        Assert.Equal(5000, limiter.TrackedClients);
        _time.Advance(TimeSpan.FromSeconds(11));
        limiter.Acquire("edge");
        Assert.Equal(1, limiter.TrackedClients);
    }

    [Fact]
    public async Task WaitTurn_ClientOverItsRate_HeldBackCountedAndRecorded()
    {
        var queue = new StorageQueue(Options.Create(new InfluxOptions()));
        var throttle = new PublishThrottle(Options.Create(new IngestOptions { MaxMessagesPerClientPerSecond = 10, ClientBurstMessages = 2 }),
            queue, _time, NullLogger<PublishThrottle>.Instance);
        var start = _time.GetUtcNow();
        for (var i = 0; i < 32; i++)
        {
            var turn = throttle.WaitTurnAsync("flood-1", TestContext.Current.CancellationToken);
            for (var n = 0; n < 1000 && !turn.IsCompleted; n++)
            {
                _time.Advance(TimeSpan.FromMilliseconds(10));
                await Task.Yield();
            }
            await turn;
        }
        Assert.Equal(3.0, (_time.GetUtcNow() - start).TotalSeconds, 1);
        await throttle.WaitTurnAsync("tablet", TestContext.Current.CancellationToken);

        var stats = throttle.Stats();
        Assert.Equal(30, stats.DelayedMessages);
        Assert.Equal(1, stats.ThrottledClients);
        var flood = Assert.Single(stats.Recent);
        Assert.Equal("flood-1", flood.ClientId);
        Assert.Equal(10, flood.RatePerSecond, 0);
        Assert.True(queue.TryTake(out var point));
        Assert.StartsWith("throttled,client=flood-1 rate=10,limit=10,delayed=", point.Line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitTurn_LimitOff_NeverWaits()
    {
        var throttle = new PublishThrottle(Options.Create(new IngestOptions { MaxMessagesPerClientPerSecond = 0 }),
            new StorageQueue(Options.Create(new InfluxOptions())), _time, NullLogger<PublishThrottle>.Instance);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(throttle.WaitTurnAsync("flood", TestContext.Current.CancellationToken).IsCompletedSuccessfully);
        }
        Assert.Equal(0, throttle.Stats().DelayedMessages);
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData(-1, 1000, "Ingest:MaxMessagesPerClientPerSecond -1 must be 0 (no limit) to 1000000")]
    [InlineData(double.NaN, 1000, "Ingest:MaxMessagesPerClientPerSecond NaN must be")]
    [InlineData(200, 0, "Ingest:ClientBurstMessages 0 must be 1–1000000")]
    public void IngestOptions_BadLimit_NamesTheSetting(double rate, int burst, string expected) =>
        Assert.Contains(new IngestOptions { MaxMessagesPerClientPerSecond = rate, ClientBurstMessages = burst }.Problems(), p => p.StartsWith(expected, StringComparison.Ordinal));

    [Fact]
    public void IngestOptions_Defaults_AreValid() => Assert.Empty(new IngestOptions().Problems());

    [Fact]
    public void BrokerOptions_ZeroConnectTimeout_NamesTheSetting() =>
        Assert.Contains(new BrokerOptions { ConnectTimeout = TimeSpan.Zero }.Problems(), p => p.StartsWith("Broker:ConnectTimeout", StringComparison.Ordinal));
}
