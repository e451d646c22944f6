using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Sites;

namespace FacilityHub.Edge.Simulation;

internal enum Scenario
{
    /// <summary>Peacetime: every shelter closed, still reporting so that silence means a fault.</summary>
    Normal,

    /// <summary>An evacuation order at the scenario start: shelters open, fill, hold, then empty and close.</summary>
    Evacuation,
}

/// <summary>What a shelter's staff would report at one moment.</summary>
internal readonly record struct ShelterState(bool Open, int Occupancy, bool Accepting);

/// <summary>
/// Shelter headcounts through one evacuation. Every shelter draws its own plan from (seed, id): whether
/// the city opens it at all, when staff unlock it, how full it gets, when 満 is declared, when people
/// go home. Occupancy follows a logistic arrival curve after opening and a logistic departure curve once
/// the order is lifted, so a shelter fills over a few hours, holds, and empties.
/// </summary>
internal sealed class ShelterModel(int seed, Scenario scenario, DateTimeOffset evacuationStart)
{
    private const ulong SaltOpens = 0x5001, SaltOpenDelay = 0x5002, SaltArrival = 0x5003, SaltArrivalSpread = 0x5004,
        SaltPeak = 0x5005, SaltFullAt = 0x5006, SaltLift = 0x5007, SaltDeparture = 0x5008, SaltJitter = 0x5009;

    // Not every designated shelter is opened for one event; the city opens the ones the area needs.
    private const double ShareOpened = 0.8;

    public Scenario Scenario => scenario;

    public DateTimeOffset EvacuationStart => evacuationStart;

    public ShelterReport Report(Site shelter, DateTimeOffset t)
    {
        var state = State(shelter, t);
        return new ShelterReport(CityTime.Stamp(t), state.Open, state.Occupancy, state.Accepting, ShelterSource.Sim, Capacity(shelter));
    }

    public int Occupancy(Site shelter, DateTimeOffset t) => State(shelter, t).Occupancy;

    public ShelterState State(Site shelter, DateTimeOffset t)
    {
        // Closed is not 満: accepting stays true because nobody has marked the shelter full.
        var closed = new ShelterState(false, 0, true);
        if (scenario != Scenario.Evacuation)
        {
            return closed;
        }
        var plan = Plan(shelter.Id);
        if (!plan.Opens || t < plan.OpenAt || t >= plan.CloseAt)
        {
            return closed;
        }

        var arrived = Rescaled(t, plan.OpenAt, plan.ArrivalMid, plan.ArrivalSpread);
        var left = t < plan.LiftAt ? 0 : Rescaled(t, plan.LiftAt, plan.DepartureMid, plan.DepartureSpread);
        var ratio = plan.PeakRatio * arrived * (1 - left);
        // People come and go all the time; the jitter is relative so an empty hall stays at zero.
        var jitter = 1 + (0.04 * Noise.Centered(seed, shelter.Id, t, TimeSpan.FromMinutes(20), SaltJitter));
        var occupancy = (int)Math.Round(Capacity(shelter) * ratio * jitter, MidpointRounding.AwayFromZero);
        // Staff declare 満 on the smooth trend, not on each count, so the mark does not flicker.
        var accepting = ratio < plan.FullAtRatio;
        return new ShelterState(true, Math.Max(0, occupancy), accepting);
    }

    private static int Capacity(Site shelter) => shelter.Capacity ?? 0;

    private ShelterPlan Plan(string id)
    {
        double U(ulong salt) => Noise.Unit(seed, id, 0, salt);
        var openAt = evacuationStart + TimeSpan.FromMinutes(10 + (30 * U(SaltOpenDelay)));
        var liftAt = evacuationStart + TimeSpan.FromHours(14 + (4 * U(SaltLift)));
        return new ShelterPlan(
            Opens: U(SaltOpens) < ShareOpened,
            OpenAt: openAt,
            ArrivalMid: openAt + TimeSpan.FromHours(1.5 + U(SaltArrival)),
            ArrivalSpread: TimeSpan.FromMinutes(25 + (20 * U(SaltArrivalSpread))),
            PeakRatio: 0.15 + (0.9 * U(SaltPeak)),
            FullAtRatio: 0.9 + (0.07 * U(SaltFullAt)),
            LiftAt: liftAt,
            DepartureMid: liftAt + TimeSpan.FromHours(1 + (0.5 * U(SaltDeparture))),
            DepartureSpread: TimeSpan.FromMinutes(25),
            CloseAt: liftAt + TimeSpan.FromHours(4.5));
    }

    /// <summary>A logistic curve shifted so that it is exactly 0 at <paramref name="from"/> and tends to 1.</summary>
    private static double Rescaled(DateTimeOffset t, DateTimeOffset from, DateTimeOffset mid, TimeSpan spread)
    {
        static double Logistic(DateTimeOffset x, DateTimeOffset mid, TimeSpan spread) =>
            1 / (1 + Math.Exp(-(x - mid).TotalSeconds / spread.TotalSeconds));
        var start = Logistic(from, mid, spread);
        return Math.Clamp((Logistic(t, mid, spread) - start) / (1 - start), 0, 1);
    }

    private sealed record ShelterPlan(
        bool Opens,
        DateTimeOffset OpenAt,
        DateTimeOffset ArrivalMid,
        TimeSpan ArrivalSpread,
        double PeakRatio,
        double FullAtRatio,
        DateTimeOffset LiftAt,
        DateTimeOffset DepartureMid,
        TimeSpan DepartureSpread,
        DateTimeOffset CloseAt);
}
