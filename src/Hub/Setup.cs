using FacilityHub.Contracts;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Topics;
using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Broker;
using FacilityHub.Hub.Configuration;
using FacilityHub.Hub.Ingest;
using FacilityHub.Hub.Live;
using FacilityHub.Hub.Storage;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub;

/// <summary>One registration method per feature; Program.cs lists them.</summary>
public static class Setup
{
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddValidatedOptions<InfluxOptions>(InfluxOptions.Section);
        services.AddSingleton<StorageQueue>();
        services.AddSingleton(sp => new Spill(sp.GetRequiredService<IOptions<InfluxOptions>>().Value.SpillDirectory));
        services.AddHttpClient<InfluxClient>((sp, http) =>
        {
            var o = sp.GetRequiredService<IOptions<InfluxOptions>>().Value;
            http.BaseAddress = o.BaseUri;
            http.Timeout = o.RequestTimeout;
        });
        // Registered before the broker so that it stops after it: the broker stops taking messages, then the writer flushes.
        services.AddSingleton<InfluxWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<InfluxWriter>());
        return services;
    }

    public static IServiceCollection AddIngest(this IServiceCollection services)
    {
        services.AddValidatedOptions<IngestOptions>(IngestOptions.Section);
        services.AddSingleton<HubMetrics>();
        services.AddSingleton<DeadLetters>();
        services.AddSingleton(sp => new MessageDecoder(
            new TopicScheme(sp.GetRequiredService<IOptions<BrokerOptions>>().Value.TopicPrefix),
            sp.GetRequiredService<SiteRegistry>(),
            sp.GetRequiredService<IOptions<IngestOptions>>().Value.ToLimits()));
        services.AddSingleton<Ingestor>();
        services.AddSingleton<Acknowledgements>();
        services.AddHostedService(sp => sp.GetRequiredService<Acknowledgements>());
        return services;
    }

    public static IServiceCollection AddLive(this IServiceCollection services)
    {
        services.AddValidatedOptions<LiveOptions>(LiveOptions.Section);
        services.AddValidatedOptions<CrowdingOptions>(CrowdingOptions.Section);
        services.AddSingleton<LatestState>();
        services.AddSignalR().AddJsonProtocol(LiveJson);
        services.AddHostedService<LivePusher>();
        services.AddHostedService<LatestStateRestore>();
        return services;
    }

    /// <summary>The live views' JSON on SignalR: the contracts' generated serializers, nulls omitted. bench/Micro measures pushes with it.</summary>
    public static void LiveJson(JsonHubProtocolOptions options)
    {
        options.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ContractsJsonContext.Default);
        options.PayloadSerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
    }

    public static IServiceCollection AddBroker(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<BrokerOptions>(BrokerOptions.Section);
        services.AddSingleton<PublishThrottle>();
        // The mode decides which hosted service exists, so it is read here; the full options are validated on start.
        var mode = configuration.GetValue($"{BrokerOptions.Section}:{nameof(BrokerOptions.Mode)}", BrokerMode.Embedded);
        if (mode == BrokerMode.External)
        {
            services.AddSingleton<ExternalBrokerClient>();
            services.AddSingleton<IBrokerStatus>(sp => sp.GetRequiredService<ExternalBrokerClient>());
            services.AddHostedService(sp => sp.GetRequiredService<ExternalBrokerClient>());
        }
        else
        {
            services.AddSingleton<EmbeddedBroker>();
            services.AddSingleton<IBrokerStatus>(sp => sp.GetRequiredService<EmbeddedBroker>());
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBroker>());
        }
        return services;
    }

    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder app)
    {
        // A connection outlives the request that authenticated it: close it when its token expires (the client then
        // reconnects with a fresh one); LiveAccessWatch closes it sooner when its user is disabled or changed.
        app.MapHub<LiveHub>(HubRoutes.LiveHub, o => o.CloseOnAuthenticationExpiration = true);
        return app;
    }
}
