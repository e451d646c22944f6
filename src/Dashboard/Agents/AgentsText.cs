namespace FacilityHub.Dashboard.Agents;

/// <summary>Strings of the agents view; in AgentsText.resx (ja) and AgentsText.en.resx.</summary>
public sealed class AgentsText;
