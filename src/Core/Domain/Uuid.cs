using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace EventSourcing;

/// <summary>Name-based UUIDs (RFC 4122 version 5, SHA-1), identical to Python's <c>uuid.uuid5</c>.</summary>
public static class Uuid
{
    /// <summary>RFC 4122 namespace for URLs (Python's <c>uuid.NAMESPACE_URL</c>).</summary>
    public static readonly Guid NamespaceUrl = new("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    /// <summary>RFC 4122 namespace for DNS names (Python's <c>uuid.NAMESPACE_DNS</c>).</summary>
    public static readonly Guid NamespaceDns = new("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

    // Ids are derived from the same few names over and over (a counter per trick, a dog per command),
    // and SHA-1 through the platform's crypto library costs microseconds a call. Bounded: names are user input.
    private const int CacheCapacity = 10_000;
    private static readonly ConcurrentDictionary<(Guid, string), Guid> Cache = new();
    private static int _cached;

    public static Guid V5(Guid namespaceId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Cache.TryGetValue((namespaceId, name), out var id))
        {
            return id;
        }

        id = Compute(namespaceId, name);
        if (Interlocked.Increment(ref _cached) > CacheCapacity)
        {
            Cache.Clear();
            Interlocked.Exchange(ref _cached, 0);
        }

        Cache.TryAdd((namespaceId, name), id);
        return id;
    }

    private static Guid Compute(Guid namespaceId, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        // RFC 4122 byte order is big-endian; .NET's Guid layout is not.
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);

        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
