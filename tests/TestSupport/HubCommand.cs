using System.Diagnostics;

namespace FacilityHub.TestSupport;

/// <summary>What a hub command (<c>dotnet FacilityHub.Hub.dll hash-secret</c>, <c>mosquitto-auth</c>) printed and returned.</summary>
public sealed record HubCommandResult(int ExitCode, string Stdout, string Stderr);

public static class HubCommand
{
    /// <summary>Runs the built hub with <paramref name="args"/>, feeding <paramref name="stdin"/>, and waits for it to exit.</summary>
    public static async Task<HubCommandResult> RunAsync(IEnumerable<string> args, string? stdin = null, CancellationToken ct = default)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        info.ArgumentList.Add(RepoPaths.ProjectDll("Hub"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), ct);
        }
        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new HubCommandResult(process.ExitCode, await stdout, await stderr);
    }
}
