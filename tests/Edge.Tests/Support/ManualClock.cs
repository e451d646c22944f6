namespace FacilityHub.Edge.Tests.Support;

/// <summary>A clock the test moves by hand; nothing in these tests waits on real time.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
