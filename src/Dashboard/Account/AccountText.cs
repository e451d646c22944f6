namespace FacilityHub.Dashboard.Account;

/// <summary>Strings of the sign-in pages; in AccountText.resx (ja) and AccountText.en.resx.</summary>
public sealed class AccountText;
