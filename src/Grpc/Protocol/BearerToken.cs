using System.Security.Cryptography;
using System.Text;
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
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(expected);
        var given = headers.GetValue(HeaderName);
        return given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected);
    }
}
