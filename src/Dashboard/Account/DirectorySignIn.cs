using System.Security.Claims;
using FacilityHub.Contracts.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Account;

/// <summary>
/// Configuration section <c>Account:Directory</c>: OpenID Connect sign-in for a city whose staff already
/// have accounts in a directory. Off unless <see cref="Authority"/> is set. The directory says who a person
/// is and, through <see cref="RoleClaim"/> and <see cref="Roles"/>, which of the dashboard's roles they hold;
/// such people are not in the hub's user store, so their session lasts its lifetime and a change in the
/// directory takes effect at their next sign-in.
/// </summary>
public sealed class DirectoryOptions
{
    public const string Section = "Account:Directory";

    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>A file holding the client secret, so the secret is never in a settings file or on a command line.</summary>
    public string? ClientSecretFile { get; set; }

    /// <summary>The button's text on the sign-in page, e.g. the directory's name as staff know it.</summary>
    public string DisplayName { get; set; } = "";

    public string RoleClaim { get; set; } = "roles";

    /// <summary>Directory role or group value → dashboard role (<c>it</c>, <c>disaster</c>, <c>weather</c>, <c>admin</c>).</summary>
    public Dictionary<string, string> Roles { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>The directory's origin, where the sign-in form's redirect goes (for the CSP's <c>form-action</c>); only read after validation.</summary>
    public string? Origin => Enabled && Uri.TryCreate(Authority, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null;

    /// <summary>The dashboard role a directory person holds: admin wins over the others; none means no access.</summary>
    public string? RoleFor(IEnumerable<string> directoryValues)
    {
        var granted = directoryValues.Select(v => Roles.TryGetValue(v, out var role) ? role : null).OfType<string>().ToHashSet();
        return granted.Contains(Contracts.Access.Roles.Admin) ? Contracts.Access.Roles.Admin : granted.Order(StringComparer.Ordinal).FirstOrDefault();
    }
}

internal sealed class DirectoryOptionsValidator : IValidateOptions<DirectoryOptions>
{
    public ValidateOptionsResult Validate(string? name, DirectoryOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }
        var s = DirectoryOptions.Section;
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority)
            || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback)))
        {
            return ValidateOptionsResult.Fail($"{s}:Authority must be an absolute https:// URL (http:// only on loopback), got '{options.Authority}'");
        }
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            return ValidateOptionsResult.Fail($"{s}:ClientId is required when {s}:Authority is set");
        }
        if (options.ClientSecretFile is { Length: > 0 } file && !File.Exists(file))
        {
            return ValidateOptionsResult.Fail($"{s}:ClientSecretFile '{file}' does not exist");
        }
        if (options.Roles.Count == 0)
        {
            return ValidateOptionsResult.Fail($"{s}:Roles must map at least one directory value to a role, e.g. {s}:Roles:facility-it=it");
        }
        foreach (var (value, role) in options.Roles)
        {
            if (!AccountClaims.MayUseDashboard(role))
            {
                return ValidateOptionsResult.Fail($"{s}:Roles:{value} must be one of it, disaster, weather, admin, got '{role}'");
            }
        }
        return ValidateOptionsResult.Success;
    }
}

public static partial class DirectorySignIn
{
    public const string Scheme = OpenIdConnectDefaults.AuthenticationScheme;
    public const string Path = "/account/sign-in/directory";
    public const string Source = "fh:source";

    public static void AddDirectorySignIn(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var services = authentication.Services;
        services.AddOptions<DirectoryOptions>().BindConfiguration(DirectoryOptions.Section, o => o.ErrorOnUnknownConfiguration = true).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DirectoryOptions>, DirectoryOptionsValidator>();
        var directory = configuration.GetSection(DirectoryOptions.Section).Get<DirectoryOptions>() ?? new DirectoryOptions();
        if (!directory.Enabled)
        {
            return;
        }
        authentication.AddOpenIdConnect(Scheme, _ => { });
        services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<IOptions<DirectoryOptions>>((oidc, options) =>
        {
            var d = options.Value;
            oidc.Authority = d.Authority;
            oidc.RequireHttpsMetadata = !(Uri.TryCreate(d.Authority, UriKind.Absolute, out var a) && a.IsLoopback);
            oidc.ClientId = d.ClientId;
            oidc.ClientSecret = d.ClientSecretFile is { Length: > 0 } file && File.Exists(file) ? File.ReadAllText(file).Trim() : null;
            oidc.ResponseType = "code";
            oidc.UsePkce = true;
            oidc.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            oidc.MapInboundClaims = false;
            oidc.SaveTokens = false;
            oidc.Scope.Clear();
            oidc.Scope.Add("openid");
            oidc.Scope.Add("profile");
            oidc.CallbackPath = "/account/signin-oidc";
            oidc.SignedOutCallbackPath = "/account/signout-oidc";
            oidc.Events.OnTokenValidated = context => MapRole(context, d);
            oidc.Events.OnRemoteFailure = context =>
            {
                LogDirectoryFailed(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DirectorySignIn).FullName!), context.Failure?.Message ?? "unknown");
                context.Response.Redirect($"{AccountSetup.SignInPath}?error=directory");
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
    }

    public static IEndpointRouteBuilder MapDirectorySignIn(this IEndpointRouteBuilder app)
    {
        // A form post with its anti-forgery token, like every other form: a link could be forged to start a sign-in.
        app.MapPost(Path, ([FromForm] string? returnUrl, IOptions<DirectoryOptions> options) =>
            options.Value.Enabled
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = Localization.Cultures.LocalPath(returnUrl) }, [Scheme])
                : Results.NotFound());
        return app;
    }

    private static Task MapRole(Microsoft.AspNetCore.Authentication.OpenIdConnect.TokenValidatedContext context, DirectoryOptions options)
    {
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DirectorySignIn).FullName!);
        var principal = context.Principal!;
        var name = principal.FindFirstValue("preferred_username") ?? principal.FindFirstValue("email") ?? principal.FindFirstValue("sub") ?? "";
        var role = options.RoleFor(principal.FindAll(options.RoleClaim).Select(c => c.Value));
        if (role is null || name.Length == 0)
        {
            LogNoRole(logger, name, options.RoleClaim);
            context.Fail($"directory user '{name}' holds no role mapped in {DirectoryOptions.Section}:Roles");
            return Task.CompletedTask;
        }
        var person = AccountClaims.Principal(new UserInfo(name, principal.FindFirstValue("name") ?? name, role, Disabled: false));
        ((ClaimsIdentity)person.Identity!).AddClaim(new Claim(Source, "directory"));
        context.Principal = person;
        LogDirectorySignIn(logger, name, role);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The directory's answer reaches <c>/account/signin-oidc</c> from the directory's site, and the redirect from
    /// there to the page asked for is part of that cross-site navigation: a <c>SameSite=Strict</c> session cookie
    /// would not go with it, so the person would land on the sign-in page, signed in but unseen. A directory
    /// sign-in's cookie is therefore <c>Lax</c> (sent on top-level GET navigations only; every form still needs its
    /// anti-forgery token); password sign-ins keep <c>Strict</c>, and a renewed cookie is <c>Strict</c> again.
    /// </summary>
    public static Task LetTheCallbackRedirectCarryTheSession(CookieSigningInContext context)
    {
        if (context.Principal is { } principal && IsDirectoryPerson(principal))
        {
            context.CookieOptions.SameSite = SameSiteMode.Lax;
        }
        return Task.CompletedTask;
    }

    public static bool IsDirectoryPerson(ClaimsPrincipal principal) => principal.FindFirstValue(Source) == "directory";

    [LoggerMessage(Level = LogLevel.Information, Message = "{User} signed in through the directory as {Role}")]
    private static partial void LogDirectorySignIn(ILogger logger, string user, string role);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused directory sign-in of {User}: no value of claim {RoleClaim} is mapped to a role")]
    private static partial void LogNoRole(ILogger logger, string user, string roleClaim);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Directory sign-in failed: {Reason}")]
    private static partial void LogDirectoryFailed(ILogger logger, string reason);
}
