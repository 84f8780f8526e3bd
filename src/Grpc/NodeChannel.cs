using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace EventSourcing.Grpc;

/// <summary>How every client of a node (runner, proxies, followers) opens its channel: HTTP/2, keep-alive pings, large messages.</summary>
public static class NodeChannel
{
    /// <summary>The largest message a client accepts: a Read page of 10,000 notifications with large states.</summary>
    public const int MaxReceiveMessageSize = 64 * 1024 * 1024;

    /// <param name="url">The node's address, http:// or https://.</param>
    /// <param name="trustedCertificate">
    /// For https: the one certificate to trust as the root of the node's (e.g. a self-signed one), instead of the
    /// system's roots (which <c>SSL_CERT_FILE</c> can point at); null to use the system's.
    /// </param>
    /// <param name="clientCertificate">A certificate with its private key to present to a node that asks for one (mutual TLS).</param>
    public static GrpcChannel Create(Uri url, X509Certificate2? trustedCertificate = null, X509Certificate2? clientCertificate = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        var handler = new SocketsHttpHandler
        {
            // Detects a node that vanished without closing the connection (host down, cable pulled).
            KeepAlivePingDelay = TimeSpan.FromSeconds(15),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            EnableMultipleHttp2Connections = true,
        };
        if (trustedCertificate is not null || clientCertificate is not null)
        {
            handler.SslOptions = new SslClientAuthenticationOptions();
        }

        if (trustedCertificate is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors)
                => !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) && IsIssuedBy(trustedCertificate, certificate);
        }

        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        return GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = handler,
            HttpVersion = HttpVersion.Version20,
            MaxReceiveMessageSize = MaxReceiveMessageSize,
        });
    }

    /// <summary>Whether <paramref name="certificate"/> chains up to <paramref name="root"/> (and to nothing else).</summary>
    public static bool IsIssuedBy(X509Certificate2 root, X509Certificate? certificate)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = new X509Certificate2(certificate);
        return chain.Build(presented);
    }
}
