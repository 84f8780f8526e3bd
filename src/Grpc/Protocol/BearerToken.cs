using System.Security.Cryptography;
using System.Text;
using EventSourcing.Grpc.Hosting;
using Grpc.Core;

namespace EventSourcing.Grpc.Protocol;

/// <summary>
/// The shared-token authentication of nodes: every call but health checks carries <c>authorization: Bearer TOKEN</c>.
/// Clients add <see cref="Headers"/>; a node checks with <see cref="Matches"/>.
/// </summary>
public static class BearerToken
{
    public const string HeaderName = "authorization";

    public const string Scheme = "Bearer ";

    /// <summary>The service of health checks, which answer without a token (so a load balancer can ask).</summary>
    public const string HealthServicePrefix = "/grpc.health.v1.Health/";

    /// <summary>The headers to send with <paramref name="token"/>, or null when there is no token.</summary>
    public static Metadata? Headers(string? token)
        => string.IsNullOrEmpty(token) ? null : new Metadata { { HeaderName, Scheme + token } };

    /// <summary>The header value a node expects, as bytes for a constant-time comparison.</summary>
    public static byte[] Expected(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        return Encoding.UTF8.GetBytes(Scheme + token);
    }

    /// <summary>True when <paramref name="headers"/> carry the expected header value; compares in constant time.</summary>
    public static bool Matches(Metadata headers, byte[] expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return Matches(headers, [expected]);
    }

    /// <summary>
    /// True when <paramref name="headers"/> carry one of the expected header values (several while a token is being
    /// replaced). Every one is compared, each in constant time, so the time taken says nothing of which matched or how
    /// closely.
    /// </summary>
    public static bool Matches(Metadata headers, IReadOnlyList<byte[]> expected)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(expected);
        var given = headers.GetValue(HeaderName);
        if (given is null)
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(given);
        var matched = false;
        foreach (var candidate in expected)
        {
            matched |= CryptographicOperations.FixedTimeEquals(bytes, candidate);
        }

        return matched;
    }

    /// <summary>
    /// The tokens in a token file: one per line (the first is the one a node sends to its leaders; more are accepted
    /// while a token is being replaced), blank lines and lines starting with <c>#</c> left out.
    /// </summary>
    /// <exception cref="ConfigurationException">The file cannot be read, holds no token, or a token has white space in it.</exception>
    public static IReadOnlyList<string> ReadFile(string path)
    {
        var tokens = new List<string>();
        foreach (var (number, line) in SettingsFile.Lines(path, $"Token file {path}"))
        {
            if (line.Any(char.IsWhiteSpace))
            {
                throw new ConfigurationException($"Token file {path}, line {number}: a token has no white space in it (one token per line)");
            }

            tokens.Add(line);
        }

        return tokens.Count > 0 ? tokens : throw new ConfigurationException($"Token file {path} holds no token (one per line; # starts a comment)");
    }
}
