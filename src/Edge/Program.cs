using FacilityHub.Hosting;
using System.Globalization;
using FacilityHub.Edge;
using FacilityHub.Edge.Outbox;
using FacilityHub.Edge.Publishing;
using FacilityHub.Edge.Simulation;
using FacilityHub.Edge.Sites;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;

// The edge agent: simulates Hitachi's access points, shelters and weather stations, keeps every message
// in a durable outbox until the hub acknowledges it, and publishes over MQTT as PROTOCOL.md describes. Every setting can be given on the command line (--Mqtt:Port 1884).

Log.Logger = new LoggerConfiguration()
    .WriteTo.Console(formatProvider: CultureInfo.InvariantCulture)
    .CreateBootstrapLogger();

try
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.Services.AddSerilog((services, logger) => logger
        .MinimumLevel.Information()
        .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
        .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
        .ReadFrom.Configuration(builder.Configuration)
        .ReadFrom.Services(services)
        .WriteTo.Console(formatProvider: CultureInfo.InvariantCulture));

    builder.Services.AddSiteRegistry();
    builder.Services.AddMqttPublishing();
    builder.Services.AddOutbox();
    builder.Services.AddSimulator();

    using var host = builder.Build();
    // Settings are checked before the host starts: a bad one then stops the agent with one line that
    // names it, instead of the host's "Hosting failed to start" and a stack trace.
    host.Services.GetRequiredService<IStartupValidator>().Validate();
    // Opened before anything starts, for the same reason: a locked or unreadable outbox is one line.
    host.Services.GetRequiredService<OutboxStore>();
    await host.RunAsync();
    return 0;
}
catch (OutboxUnavailableException e)
{
    Log.Fatal("Cannot start: {Problem}", e.Message);
    return 2;
}
catch (Exception e) when (StartupProblem.Describe(e) is { } problem)
{
    Log.Fatal("Cannot start: {Problem}", problem);
    return 2;
}
catch (Exception e)
{
    Log.Fatal(e, "The edge agent stopped after an unexpected error");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}
