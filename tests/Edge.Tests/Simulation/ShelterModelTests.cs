using FacilityHub.Contracts.Sites;
using FacilityHub.Edge.Simulation;
using FacilityHub.Edge.Tests.Support;

namespace FacilityHub.Edge.Tests.Simulation;

public sealed class ShelterModelTests
{
    private static readonly DateTimeOffset Order = Sample.Monday.AddHours(6);
    private static readonly ShelterModel Model = Sample.Shelters(Scenario.Evacuation, Order);
    private static readonly List<Site> Shelters = Sample.Registry.OfKind(SiteKind.Shelter).ToList();

    private static int Total(DateTimeOffset at) => Shelters.Sum(s => Model.Occupancy(s, at));

    [Fact]
    public void State_Evacuation_OccupancyRisesOverHoursThenHoldsThenEmpties()
    {
        Assert.Equal(0, Total(Order.AddHours(-1)));
        Assert.True(Total(Order.AddHours(1)) < Total(Order.AddHours(2)));
        Assert.True(Total(Order.AddHours(2)) < Total(Order.AddHours(4)));
        var plateau = Total(Order.AddHours(8));
        Assert.InRange(Total(Order.AddHours(12)), plateau * 0.9, plateau * 1.1);
        Assert.True(Total(Order.AddHours(19)) < plateau / 2);
        Assert.Equal(0, Total(Order.AddHours(24)));
        Assert.True(plateau > Shelters.Sum(s => s.Capacity!.Value) / 4, $"plateau {plateau}");
    }

    [Fact]
    public void State_Evacuation_MostSheltersOpenThenAllClose()
    {
        Assert.All(Shelters, s => Assert.False(Model.State(s, Order.AddMinutes(-1)).Open));
        var open = Shelters.Count(s => Model.State(s, Order.AddHours(3)).Open);
        Assert.InRange(open, Shelters.Count / 2, Shelters.Count);
        Assert.True(open < Shelters.Count, "the city opens only the shelters it needs");
        Assert.All(Shelters, s => Assert.False(Model.State(s, Order.AddHours(24)).Open));
    }

    [Fact]
    public void State_Evacuation_StaffMarkFullShelters満NearCapacityOnly()
    {
        var full = 0;
        foreach (var shelter in Shelters)
        {
            foreach (var at in Sample.Every(Order, TimeSpan.FromHours(24), TimeSpan.FromMinutes(5)))
            {
                var state = Model.State(shelter, at);
                Assert.InRange(state.Occupancy, 0, shelter.Capacity!.Value * 11 / 10);
                if (!state.Accepting)
                {
                    full++;
                    Assert.True(state.Open);
                    Assert.True(state.Occupancy >= shelter.Capacity!.Value * 0.85, $"{shelter.Id} marked 満 at {state.Occupancy}/{shelter.Capacity}");
                }
                if (!state.Open)
                {
                    Assert.Equal(0, state.Occupancy);
                }
            }
        }
        Assert.True(full > 0, "no shelter was ever marked 満");
    }

    [Fact]
    public void State_NormalScenario_EveryShelterClosedAndEmpty()
    {
        var model = Sample.Shelters(Scenario.Normal, Order);
        foreach (var at in Sample.Every(Order, TimeSpan.FromHours(24), TimeSpan.FromHours(1)))
        {
            Assert.All(Shelters, s => Assert.Equal(new ShelterState(false, 0, true), model.State(s, at)));
        }
    }
}
