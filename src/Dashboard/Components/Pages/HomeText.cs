namespace FacilityHub.Dashboard.Components.Pages;

/// <summary>Strings of the home page; in HomeText.resx (ja) and HomeText.en.resx.</summary>
public sealed class HomeText;
