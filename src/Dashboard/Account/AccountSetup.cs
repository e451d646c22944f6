using System.Globalization;
using System.Security.Claims;
using FacilityHub.Contracts.Access;
using FacilityHub.Contracts.Live;
using FacilityHub.Dashboard.Localization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Account;

public static partial class AccountSetup
{
    public const string SignInPath = "/account/sign-in";
    public const string SignOutPath = "/account/sign-out";
    public const string DeniedPath = "/account/denied";

    private const string CheckedAtItem = "fh:checked_at";

    public static IServiceCollection AddDashboardAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section, o => o.ErrorOnUnknownConfiguration = true).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccountOptions>, AccountOptionsValidator>();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie()
            .AddDirectorySignIn(configuration);
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<AccountOptions>>((cookie, account) =>
            {
                cookie.Cookie.Name = "fh.session";
                cookie.Cookie.HttpOnly = true;
                // Browsers treat http://127.0.0.1 and localhost as secure, so the flag costs local runs nothing.
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.ExpireTimeSpan = account.Value.SessionLifetime;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = SignInPath;
                cookie.LogoutPath = SignOutPath;
                cookie.AccessDeniedPath = DeniedPath;
                cookie.Events.OnValidatePrincipal = RecheckAsync;
                cookie.Events.OnSigningIn = DirectorySignIn.LetTheCallbackRedirectCarryTheSession;
            });

        var authorization = services.AddAuthorizationBuilder();
        foreach (var view in LiveViews.All)
        {
            authorization.AddPolicy(view, policy => policy.RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.Role() is { } role && AccountClaims.MayUseDashboard(role) && Roles.MaySee(role, view)));
        }
        authorization.SetFallbackPolicy(null);

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        return services;
    }

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // [FromForm] makes the endpoint validate the anti-forgery token, as every form post here does.
        app.MapPost(SignOutPath, async (HttpContext context, [FromForm] string? returnUrl, ILoggerFactory loggers) =>
        {
            LogSignedOut(loggers.CreateLogger(typeof(AccountSetup).FullName!), context.User.Identity?.Name ?? "(anonymous)");
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect(SignInPath);
        });
        return app;
    }

    /// <summary>
    /// Every <see cref="AccountOptions.RecheckEvery"/> a request's session is checked against the hub's user store:
    /// a disabled person is signed out, a changed role signs them out too (they sign in again with the new one).
    /// While the hub cannot be asked, sessions stand — an outage must not lock the disaster HQ out.
    /// </summary>
    private static async Task RecheckAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var every = services.GetRequiredService<IOptions<AccountOptions>>().Value.RecheckEvery;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var items = context.Properties.Items;
        if (items.TryGetValue(CheckedAtItem, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var checkedAt)
            && now - checkedAt < every)
        {
            return;
        }
        if (context.Principal is not { Identity.Name: { } name } principal)
        {
            context.RejectPrincipal();
            return;
        }
        if (DirectorySignIn.IsDirectoryPerson(principal))
        {
            // Not in the hub's store: the directory vouched for them at sign-in, for the session's lifetime.
            return;
        }
        UserInfo? current;
        try
        {
            current = await services.GetRequiredService<HubAccounts>().GetUserAsync(name, context.HttpContext.RequestAborted);
        }
        catch (HttpRequestException)
        {
            return;
        }
        catch (TaskCanceledException)
        {
            return;
        }
        if (!AccountClaims.StillValid(principal, current))
        {
            LogSessionEnded(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AccountSetup).FullName!), name);
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        items[CheckedAtItem] = now.ToString("O", CultureInfo.InvariantCulture);
        context.ShouldRenew = true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{User} signed out")]
    private static partial void LogSignedOut(ILogger logger, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session of {User} ended: the hub's user store no longer backs it (disabled, removed or role changed)")]
    private static partial void LogSessionEnded(ILogger logger, string user);
}
