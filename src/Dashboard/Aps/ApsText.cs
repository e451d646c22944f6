namespace FacilityHub.Dashboard.Aps;

/// <summary>Strings of the access point views; in ApsText.resx (ja) and ApsText.en.resx.</summary>
public sealed class ApsText;
