namespace FacilityHub.Dashboard.Account;

// Razor's generated code is invisible to the logging source generator, so the log methods live here.
public partial class SignInPage
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{User} signed in to the dashboard from {ClientAddress} as {Role}")]
    private static partial void LogSignedIn(ILogger logger, string user, string clientAddress, string role);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused dashboard sign-in of {User} from {ClientAddress}: role {Role} may not use the dashboard")]
    private static partial void LogRoleRefused(ILogger logger, string user, string clientAddress, string role);
}
