using FacilityHub.Contracts;
using FacilityHub.Contracts.Topics;
using Microsoft.Extensions.Options;

namespace FacilityHub.Edge.Publishing;

/// <summary>Configuration section <c>Mqtt</c>: the broker this agent publishes to.</summary>
internal sealed class MqttOptions
{
    public const string Section = "Mqtt";

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    public string TopicPrefix { get; set; } = TopicScheme.DefaultPrefix;

    public string? Username { get; set; }

    public string? Password { get; set; }
}

/// <summary>Configuration section <c>Agent</c>.</summary>
internal sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>Names this agent on the wire (<c>agent</c> field, status topic) and is its MQTT client id.</summary>
    public string Id { get; set; } = "edge-sim";

    /// <summary>How often the retained status (online, outbox depth, oldest unacknowledged age, evictions) is republished.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(30);
}

internal sealed class MqttOptionsValidator : IValidateOptions<MqttOptions>
{
    public ValidateOptionsResult Validate(string? name, MqttOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Host) || options.Host.Any(char.IsWhiteSpace))
        {
            failures.Add($"Mqtt:Host '{options.Host}' must be a host name or IP address");
        }
        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"Mqtt:Port must be 1–65535, got {options.Port}");
        }
        if (!TopicScheme.IsValidPrefix(options.TopicPrefix, out var problem))
        {
            failures.Add($"Mqtt:TopicPrefix: {problem}");
        }
        if (string.IsNullOrEmpty(options.Username) && !string.IsNullOrEmpty(options.Password))
        {
            failures.Add("Mqtt:Password is set but Mqtt:Username is not");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var failures = new List<string>();
        if (!Ids.IsValid(options.Id))
        {
            failures.Add($"Agent:Id '{options.Id}' must match [a-z0-9][a-z0-9_-]{{0,62}}");
        }
        if (options.StatusInterval < TimeSpan.FromSeconds(1) || options.StatusInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"Agent:StatusInterval must be between 00:00:01 and 01:00:00, got {options.StatusInterval}");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
