using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EventSourcing.Integration.Tests;

/// <summary>Certificates made for a test: a CA, and certificates it issues for 127.0.0.1 and localhost, written as PEM files.</summary>
internal static class TestCertificates
{
    /// <summary>A self-signed CA, good for an hour.</summary>
    public static X509Certificate2 Authority(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
    }

    /// <summary>A certificate for 127.0.0.1 and localhost, good for a server and a client, issued by <paramref name="ca"/>, with its key.</summary>
    public static X509Certificate2 Issue(X509Certificate2 ca, string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(ca, now.AddMinutes(-5), now.AddMinutes(50), RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Writes the certificate to <paramref name="path"/>.pem and, when it has an EC key, the key to <paramref name="path"/>.key.</summary>
    public static async Task WritePemAsync(X509Certificate2 certificate, string path)
    {
        await File.WriteAllTextAsync(path + ".pem", certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey();
        if (key is not null)
        {
            await File.WriteAllTextAsync(path + ".key", key.ExportPkcs8PrivateKeyPem());
        }
    }
}
