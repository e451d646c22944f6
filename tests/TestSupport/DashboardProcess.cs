using System.Net;

namespace FacilityHub.TestSupport;

/// <summary>The real dashboard process, pointed at a hub.</summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private DashboardProcess(ServerProcess process, int port)
    {
        Process = process;
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
    }

    public ServerProcess Process { get; }

    public Uri BaseUrl { get; }

    /// <summary>Starts the dashboard against <paramref name="hub"/>, with a service account of its own there.</summary>
    public static async Task<DashboardProcess> StartAsync(HubProcess hub, params string[] extraArgs)
    {
        var passwordFile = await hub.CreateServiceAccountAsync("dashboard");
        var port = Ports.GetFree();
        var dashboard = new DashboardProcess(
            ServerProcess.StartProject("Dashboard",
            [
                "--urls", $"http://127.0.0.1:{port}",
                "--Hub:Url", hub.BaseUrl.ToString(),
                "--Hub:ServiceUser", "dashboard",
                "--Hub:ServicePasswordFile", passwordFile,
                .. extraArgs,
            ]), port);
        using var http = new HttpClient { BaseAddress = dashboard.BaseUrl };
        await Wait.UntilAsync(async () =>
        {
            if (dashboard.Process.HasExited)
            {
                throw new GiveUpException($"dashboard exited: {dashboard.Process.Output}");
            }
            try
            {
                using var response = await http.GetAsync("");
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the dashboard to answer", TimeSpan.FromSeconds(60));
        return dashboard;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
