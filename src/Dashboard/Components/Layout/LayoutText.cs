namespace FacilityHub.Dashboard.Components.Layout;

/// <summary>Strings of the page frame (header, navigation, language switch); in LayoutText.resx (ja) and LayoutText.en.resx.</summary>
public sealed class LayoutText;
