using FacilityHub.Contracts;
using FacilityHub.Contracts.Sites;
using FacilityHub.Hosting;
using FacilityHub.Hub;
using FacilityHub.Hub.Api;
using FacilityHub.Hub.Broker;
using FacilityHub.Hub.Quality;
using FacilityHub.Hub.Sites;
using Serilog;
using Serilog.Events;

// hash-secret and mosquitto-auth: operator commands that run and exit without starting the hub.
if (await BrokerAuthCommands.TryRunAsync(args) is { } commandExitCode)
{
    return commandExitCode;
}

Log.Logger = new LoggerConfiguration()
    .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture)
    .CreateBootstrapLogger();

try
{
    // appsettings.json sits beside the binary; relative paths in settings stay relative to the working directory.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.Services.AddSerilog((services, lc) => lc
        .MinimumLevel.Information()
        .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
        .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
        // The host logs a failed start with a stack trace; Program logs it as the one line an operator needs.
        .MinimumLevel.Override("Microsoft.Extensions.Hosting", LogEventLevel.Fatal)
        .ReadFrom.Configuration(builder.Configuration)
        .ReadFrom.Services(services)
        .Enrich.FromLogContext()
        .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture));

    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddSites();
    builder.Services.AddStorage();
    builder.Services.AddIngest();
    builder.Services.AddQuality();
    builder.Services.AddLive();
    builder.Services.AddBrokerAuth();
    builder.Services.AddBroker(builder.Configuration);
    builder.Services.ConfigureHttpJsonOptions(o =>
    {
        o.SerializerOptions.TypeInfoResolverChain.Insert(0, ContractsJsonContext.Default);
        o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
    });
    builder.Services.AddProblemDetails();

    var app = builder.Build();
    // Fail fast, before listening: a bad registry or setting stops the hub with one line.
    app.Services.GetRequiredService<SiteRegistry>();

    app.UseSerilogRequestLogging(o => o.GetLevel = (ctx, _, ex) =>
        ex is not null || ctx.Response.StatusCode >= 500 ? Serilog.Events.LogEventLevel.Error : Serilog.Events.LogEventLevel.Debug);
    app.UseExceptionHandler();
    app.MapStatusApi();
    app.MapHistoryApi();
    app.MapLive();

    await app.RunAsync();
    return 0;
}
catch (Exception e) when (StartupProblem.Describe(e) is { } problem)
{
    Log.Fatal("Configuration error: {Problem}", problem);
    return 2;
}
catch (Exception e)
{
    Log.Fatal(e, "FacilityHub hub terminated unexpectedly");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

public partial class Program;
