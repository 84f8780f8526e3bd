using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EventSourcing.Grpc.Hosting;

/// <summary>Certificates and keys a node is given as PEM files, with errors that name the option and the file.</summary>
public static class PemFiles
{
    /// <summary>The certificate in <paramref name="path"/> (a CA's, say), without a private key.</summary>
    /// <param name="option">The command-line option that named the file, for the error.</param>
    public static X509Certificate2 Certificate(string path, string option)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ConfigurationException($"{option} {path}: not a readable PEM certificate ({ex.Message})", ex);
        }
    }

    /// <summary>The certificate in <paramref name="certificatePath"/> with the private key in <paramref name="keyPath"/>.</summary>
    public static X509Certificate2 CertificateWithKey(string certificatePath, string? keyPath, string option)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePath);
        try
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ConfigurationException(
                $"{option} {certificatePath}{(keyPath is null ? string.Empty : $" with key {keyPath}")}: not a readable PEM certificate and matching private key ({ex.Message})",
                ex);
        }
    }
}
