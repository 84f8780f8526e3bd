using System.Net;

namespace EventSourcing.Grpc.Hosting;

/// <summary>
/// The rules a node's options must keep to be safe to serve, in one place: es-node checks them before it starts, and
/// a runner before it starts any node.
/// </summary>
public static class NodeSecurity
{
    /// <summary>
    /// Checks that a node reachable from other hosts authenticates its callers (a token, or client certificates) unless
    /// told <c>--insecure</c>, that TLS options fit the address, and that no token would go to a leader in cleartext.
    /// </summary>
    public static void Check(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Listen.Scheme == "https" && options.TlsCertificate is null)
        {
            throw new ConfigurationException($"--listen {options.Listen} is https: give --tls-cert and --tls-key");
        }

        if (options.TlsCertificate is not null && options.Listen.Scheme != "https")
        {
            throw new ConfigurationException($"--tls-cert is given: listen on https:// (not {options.Listen})");
        }

        if (options.TlsClientCa is not null && options.Listen.Scheme != "https")
        {
            throw new ConfigurationException($"--tls-client-ca is given: listen on https:// with --tls-cert and --tls-key (not {options.Listen})");
        }

        if (options.HealthListen is { Scheme: not "http" } healthListen)
        {
            throw new ConfigurationException($"--health-listen {healthListen} is not http://: the health checks are served there in plaintext");
        }

        if (options.Metrics is { } metrics)
        {
            if (metrics.Scheme != "http")
            {
                throw new ConfigurationException($"--metrics {metrics} is not http://: the metrics are served there in plaintext");
            }

            if (metrics.Port == options.Listen.Port || metrics.Port == options.HealthListen?.Port)
            {
                throw new ConfigurationException($"--metrics {metrics}: give the metrics a port of their own, not that of --listen or --health-listen");
            }
        }

        if (!IsLoopback(options.Listen) && !options.AuthenticatesCallers && !options.Insecure)
        {
            throw new ConfigurationException(options.TlsCertificate is null
                ? $"--listen {options.Listen} is reachable from other hosts: give --token-file (or ES_NODE_TOKEN) or --tls-client-ca, or --insecure to serve it to anyone"
                : $"--listen {options.Listen} is reachable from other hosts, and TLS encrypts but authenticates no caller: give --token-file (or ES_NODE_TOKEN) or --tls-client-ca, or --insecure to serve it to anyone");
        }

        if (options.Token is not null && !options.Insecure)
        {
            foreach (var (leader, url) in options.Leaders)
            {
                if (url.Scheme != "https" && !IsLoopback(url))
                {
                    throw new ConfigurationException(
                        $"--leader {leader}={NodeCommandLine.Address(url)} is not https: the token would cross the network in cleartext; serve the leader over https (and give --tls-ca), or --insecure");
                }
            }
        }
    }

    /// <summary>
    /// Reads the certificate and key files the options name, so that a wrong one stops the start with a message naming
    /// it rather than a crash once the node is up.
    /// </summary>
    public static void CheckFiles(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TlsCertificate is not null)
        {
            using var certificate = PemFiles.CertificateWithKey(options.TlsCertificate, options.TlsKey, NodeCommandLine.TlsCertOption);
        }

        foreach (var (file, option) in new[] { (options.TlsClientCa, NodeCommandLine.TlsClientCaOption), (options.TlsCa, NodeCommandLine.TlsCaOption) })
        {
            if (file is not null)
            {
                using var ca = PemFiles.Certificate(file, option);
            }
        }
    }

    /// <summary>
    /// Whether <c>decode</c> may return plaintext: to a caller the node has authenticated, or on a node that only its
    /// own host can reach and that authenticates nobody (development).
    /// </summary>
    public static bool MayDecode(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AuthenticatesCallers || IsLoopback(options.Listen);
    }

    /// <summary>Whether only this host can reach <paramref name="url"/> (localhost, 127.0.0.0/8, ::1).</summary>
    public static bool IsLoopback(Uri url)
        => url is null ? throw new ArgumentNullException(nameof(url)) : url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
