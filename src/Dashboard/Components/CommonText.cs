namespace FacilityHub.Dashboard.Components;

/// <summary>Strings several views share (report ages, connection states, crowding levels); in CommonText.resx (ja) and CommonText.en.resx.</summary>
public sealed class CommonText;
