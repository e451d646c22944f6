namespace FacilityHub.Dashboard.Shelters;

/// <summary>The shelter view's strings; in ShelterText.resx (ja) and ShelterText.en.resx.</summary>
public sealed class ShelterText;
