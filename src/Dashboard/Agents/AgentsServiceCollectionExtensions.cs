namespace FacilityHub.Dashboard.Agents;

public static class AgentsServiceCollectionExtensions
{
    /// <summary><see cref="RejectedClient"/>, over the hub's named HTTP client that <c>AddLiveFeed</c> registers.</summary>
    public static IServiceCollection AddAgentViews(this IServiceCollection services)
    {
        services.AddSingleton<RejectedClient>();
        return services;
    }
}
