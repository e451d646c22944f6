using FacilityHub.Hosting;
using FacilityHub.Dashboard;
using FacilityHub.Dashboard.Account;
using FacilityHub.Dashboard.Agents;
using FacilityHub.Dashboard.Aps;
using FacilityHub.Dashboard.Components;
using FacilityHub.Dashboard.Components.Map;
using FacilityHub.Dashboard.History;
using FacilityHub.Dashboard.Live;
using FacilityHub.Dashboard.Localization;
using FacilityHub.Dashboard.Security;
using FacilityHub.Dashboard.Shelters;
using Microsoft.Extensions.Options;
using Serilog;

Log.Logger = new LoggerConfiguration()
    .WriteTo.Console()
    .CreateBootstrapLogger();

try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        // Tests and the run script start bin/.../FacilityHub.Dashboard.dll from anywhere: read appsettings.json beside it.
        ContentRootPath = AppContext.BaseDirectory,
    });
    // Serve wwwroot and the framework's assets from the build output in any environment, not only Development.
    builder.WebHost.UseStaticWebAssets();

    builder.Services.AddSerilog((services, logger) => logger
        .ReadFrom.Configuration(builder.Configuration)
        .ReadFrom.Services(services)
        .Enrich.FromLogContext()
        .Filter.ByExcluding(HubClientLogFilter.IsDroppedConnection)
        .WriteTo.Console());

    builder.Services.AddLiveFeed();
    builder.Services.AddMap(builder.Configuration);
    builder.Services.AddHistory();
    builder.Services.AddDashboardAccounts(builder.Configuration);
    builder.Services.AddDashboardLocalization();
    builder.Services.AddApViews();
    builder.Services.AddAgentViews();
    builder.Services.AddShelters();
    builder.Services.AddRazorComponents().AddInteractiveServerComponents();

    var app = builder.Build();
    // Check every ValidateOnStart option now, before the host resolves its services and logs its own multi-line error.
    app.Services.GetRequiredService<IStartupValidator>().Validate();

    app.UseSerilogRequestLogging();
    app.UseSecurityHeaders(
        tiles: app.Services.GetRequiredService<IOptions<MapOptions>>().Value.TileOrigin,
        directory: app.Services.GetRequiredService<IOptions<DirectoryOptions>>().Value.Origin);
    if (!app.Environment.IsDevelopment())
    {
        app.UseExceptionHandler("/error", createScopeForErrors: true);
        // Only sent on HTTPS responses: behind a TLS proxy or with an https:// URL configured.
        app.UseHsts();
    }
    // Page requests only: re-executing a refused form post would read its form again, and a form whose
    // anti-forgery token failed must not be read (it throws, turning a clean 400 into a 500).
    app.UseWhen(
        context => HttpMethods.IsGet(context.Request.Method),
        branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
    app.UseRequestLocalization();
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseAntiforgery();

    app.MapStaticAssets();
    app.MapCultureSwitch();
    app.MapAccountEndpoints();
    app.MapDirectorySignIn();
    app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

    await app.RunAsync();
    return 0;
}
catch (Exception e) when (StartupProblem.Describe(e) is { } problem)
{
    Log.Fatal("Invalid configuration: {Problem:l}", problem);
    return 2;
}
catch (Exception e) when (e is not HostAbortedException)
{
    Log.Fatal(e, "Dashboard terminated unexpectedly");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}
