using System.Net;
using System.Net.Sockets;

namespace FacilityHub.TestSupport;

public static class Ports
{
    /// <summary>A loopback port that was free a moment ago (the OS picks it, so parallel tests do not collide).</summary>
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<bool> IsOpenAsync(int port, CancellationToken ct = default)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, ct);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
