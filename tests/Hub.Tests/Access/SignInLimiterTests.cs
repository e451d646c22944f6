using FacilityHub.Hub.Access;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FacilityHub.Hub.Tests.Access;

public sealed class SignInLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly SignInLimiter _limiter;

    public SignInLimiterTests() =>
        _limiter = new SignInLimiter(Options.Create(new AccessOptions
        {
            MaxFailuresPerUser = 5,
            MaxFailuresPerClient = 20,
            FailureWindow = TimeSpan.FromMinutes(15),
        }), _time);

    [Fact]
    public void FiveFailuresForOneName_LockedUntilTheFirstLeavesTheWindow()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(_limiter.RetryAfter("alice", "10.0.0.1"));
            _limiter.RecordFailure("alice", "10.0.0.1");
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        // First failure at 0 min, now 5 min: locked for the 10 min until it is 15 min old, from any address.
        Assert.Equal(TimeSpan.FromMinutes(10), _limiter.RetryAfter("alice", "10.0.0.2"));
        Assert.Null(_limiter.RetryAfter("bob", "10.0.0.2"));
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(_limiter.RetryAfter("alice", "10.0.0.2"));
    }

    [Fact]
    public void TwentyFailuresFromOneAddress_LockedForEveryName()
    {
        for (var i = 0; i < 20; i++)
        {
            _limiter.RecordFailure($"guess-{i}", "10.0.0.9");
        }

        Assert.Equal(TimeSpan.FromMinutes(15), _limiter.RetryAfter("alice", "10.0.0.9"));
        Assert.Null(_limiter.RetryAfter("alice", "10.0.0.1"));
    }

    [Fact]
    public void Success_ClearsTheNameButNotTheAddress()
    {
        for (var i = 0; i < 4; i++)
        {
            _limiter.RecordFailure("alice", "10.0.0.1");
        }
        for (var i = 0; i < 16; i++)
        {
            _limiter.RecordFailure($"other-{i}", "10.0.0.1");
        }

        _limiter.RecordSuccess("alice");

        Assert.NotNull(_limiter.RetryAfter("alice", "10.0.0.1"));
        Assert.Null(_limiter.RetryAfter("alice", "10.0.0.2"));
    }

    [Fact]
    public void ManyMadeUpNames_OldOnesSweptAway()
    {
        for (var i = 0; i < 30_000; i++)
        {
            _limiter.RecordFailure($"name-{i}", $"10.{i / 65536}.{i / 256 % 256}.{i % 256}");
            if (i % 5_000 == 0)
            {
                _time.Advance(TimeSpan.FromMinutes(16));
            }
        }

        // Nothing to assert on the tables directly: the last name is still counted, the first long forgotten.
        _limiter.RecordFailure("name-29999", "x");
        Assert.Null(_limiter.RetryAfter("name-0", "y"));
    }
}
