namespace EventSourcing.Runner.Cli.Manifests;

/// <summary>One file of a manifest: its name, and what it holds.</summary>
internal sealed record ManifestFile(string Name, string Content);

/// <summary>What the manifests of every format say the same way.</summary>
internal static class ManifestText
{
    /// <summary>The node's whole command: dotnet, es-node.dll, then its arguments.</summary>
    public static IReadOnlyList<string> Command(SystemLayout layout, LayoutNode node)
        => [layout.Placement.Dotnet, layout.Placement.NodeAssembly, .. node.Arguments];

    /// <summary>Comment lines that say what goes in each secret file.</summary>
    /// <param name="certificateNames">The names a node's certificate must hold: those its followers and callers reach it by.</param>
    public static IReadOnlyList<string> CredentialsHelp(CredentialFiles credentials, IEnumerable<string> certificateNames)
    {
        var lines = new List<string> { $"  {CredentialFiles.TokenName}: one line, such as `openssl rand -base64 32` prints; every node reads the same token." };
        if (credentials.TlsCertificate is not null)
        {
            lines.Add($"  {CredentialFiles.TlsCertificateName}, {CredentialFiles.TlsKeyName}: a certificate and its key for {string.Join(", ", certificateNames)},");
            lines.Add($"    issued by the CA whose certificate is {CredentialFiles.TlsCaName} (followers check their leaders' certificates against it).");
        }

        lines.Add("  secrets.env: CIPHER_KEY, POSTGRES_PASSWORD and other secret settings, as KEY=VALUE lines (it may be empty).");
        lines.Add("See \"Running across machines\" in the README of EventSourcing for .NET.");
        return lines;
    }
}
