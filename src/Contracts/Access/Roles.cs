// PLACEHOLDER until the access branch is merged.
namespace FacilityHub.Contracts.Access;

public static class Roles
{
    public const string It = "it", Disaster = "disaster", Weather = "weather", Admin = "admin", Service = "service";
    public static bool IsKnown(string? r) => r is It or Disaster or Weather or Admin or Service;
    public static bool MaySee(string role, string view) => true;
}

public sealed record UserInfo(string User, string DisplayName, string Role, bool Disabled);
