using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Server;

namespace FacilityHub.Hub.Broker;

/// <summary>
/// <c>Broker:Tls</c>: an encrypted listener beside the plain one on the embedded broker. The certificate is
/// PEM (certificate and private key, in one file or two), the form certbot, openssl and Mosquitto's own
/// <c>certfile</c>/<c>keyfile</c> use, so one certificate serves either broker.
/// </summary>
public sealed class BrokerTlsOptions
{
    public bool Enabled { get; set; }

    public int Port { get; set; } = 8883;

    /// <summary>PEM certificate (chain); may also hold the private key.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key, when it is not in <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    public IEnumerable<string> Problems(BrokerOptions broker)
    {
        if (!Enabled)
        {
            yield break;
        }
        if (Port is < 1 or > 65535)
        {
            yield return $"Broker:Tls:Port {Port} must be 1–65535";
        }
        else if (broker.Mode == BrokerMode.Embedded && Port == broker.Port)
        {
            yield return $"Broker:Tls:Port {Port} is also Broker:Port; the TLS listener needs its own port";
        }
        if (string.IsNullOrWhiteSpace(CertificatePath))
        {
            yield return "Broker:Tls:CertificatePath is required with Broker:Tls:Enabled";
            yield break;
        }
        if (!File.Exists(CertificatePath))
        {
            yield return $"Broker:Tls:CertificatePath '{Path.GetFullPath(CertificatePath)}' does not exist";
            yield break;
        }
        if (KeyPath is not null && !File.Exists(KeyPath))
        {
            yield return $"Broker:Tls:KeyPath '{Path.GetFullPath(KeyPath)}' does not exist";
            yield break;
        }
        string? loadProblem = null;
        try
        {
            using var certificate = LoadCertificate();
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            loadProblem = $"Broker:Tls:CertificatePath '{CertificatePath}' is not a PEM certificate with its private key{(KeyPath is null ? "" : $" in Broker:Tls:KeyPath '{KeyPath}'")}: {e.Message.ReplaceLineEndings(" ")}";
        }
        if (loadProblem is not null)
        {
            yield return loadProblem;
        }
    }

    public X509Certificate2 LoadCertificate()
    {
        using var pem = X509Certificate2.CreateFromPemFile(CertificatePath!, KeyPath);
        // A PEM key is ephemeral; SslStream on Windows wants a persisted one. The round trip through
        // PKCS#12 is harmless elsewhere and keeps the hub portable.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}

public static class BrokerTlsExtensions
{
    /// <summary>Adds the encrypted endpoint when <c>Broker:Tls:Enabled</c>; the caller owns the certificate.</summary>
    public static MqttServerOptionsBuilder WithTls(this MqttServerOptionsBuilder builder, BrokerOptions options, out X509Certificate2? certificate)
    {
        certificate = null;
        if (!options.Tls.Enabled)
        {
            return builder;
        }
        certificate = options.Tls.LoadCertificate();
        // Exactly the configured address: MQTTnet otherwise adds the IPv6 wildcard beside an IPv4 address (or the
        // reverse), which would open the broker on interfaces Broker:BindAddress leaves out.
        var address = options.BindIPAddress();
        var v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        return builder
            .WithEncryptedEndpoint()
            .WithEncryptedEndpointBoundIPAddress(v6 ? IPAddress.None : address)
            .WithEncryptedEndpointBoundIPV6Address(v6 ? address : IPAddress.None)
            .WithEncryptedEndpointPort(options.Tls.Port)
            .WithEncryptionCertificate(certificate);
    }
}
