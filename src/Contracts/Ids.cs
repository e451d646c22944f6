namespace FacilityHub.Contracts;

/// <summary>Identifiers of sites, access points, shelters, stations and agents: lowercase ASCII <c>[a-z0-9][a-z0-9_-]{0,62}</c>.</summary>
public static class Ids
{
    public const int MaxLength = 63;

    public static bool IsValid(ReadOnlySpan<char> id)
    {
        if (id.Length is 0 or > MaxLength || !IsLowerAlnum(id[0]))
        {
            return false;
        }
        foreach (var c in id[1..])
        {
            if (!IsLowerAlnum(c) && c != '_' && c != '-')
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsLowerAlnum(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';
}
