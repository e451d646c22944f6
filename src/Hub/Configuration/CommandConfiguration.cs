using System.Text;

namespace FacilityHub.Hub.Configuration;

/// <summary>What the hub's operator commands (<c>mosquitto-auth</c>, <c>users</c>) share: the hub's settings, and a secret from standard input.</summary>
internal static class CommandConfiguration
{
    /// <summary>The hub's own configuration sources, in its order: appsettings beside the binary, environment, arguments; then <paramref name="overrides"/>.</summary>
    public static IConfiguration Build(IEnumerable<string> settings, IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine([.. settings])
            .AddInMemoryCollection(overrides)
            .Build();
    }

    /// <summary>One line of standard input; at a terminal, prompted on standard error and not echoed.</summary>
    public static string? ReadSecretLine(string what)
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine()?.TrimEnd('\r');
        }
        // Standard output may be what the command prints (a hash); the prompt goes to standard error.
        Console.Error.Write($"{what} (not echoed): ");
        var secret = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                secret.Length = Math.Max(0, secret.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }
        Console.Error.WriteLine();
        return secret.ToString();
    }
}
