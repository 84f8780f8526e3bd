using System.IO.Compression;

namespace EventSourcing;

/// <summary>
/// zlib format (RFC 1950), readable by Python's <c>zlib.decompress</c>. Decompression stops with a
/// <see cref="DecodingException"/> past <paramref name="maxDecompressedBytes"/>, so that a small stored state cannot
/// expand into gigabytes (a "zip bomb" written to the store, or a corrupted one).
/// </summary>
/// <param name="maxDecompressedBytes">The most bytes one state may decompress to. Default <see cref="Mapper.DefaultMaxEventBytes"/>.</param>
public sealed class ZlibCompressor(int maxDecompressedBytes = Mapper.DefaultMaxEventBytes) : ICompressor
{
    public int MaxDecompressedBytes { get; } = maxDecompressedBytes > 0
        ? maxDecompressedBytes
        : throw new ArgumentOutOfRangeException(nameof(maxDecompressedBytes), maxDecompressedBytes, "must be 1 or more");

    public byte[] Compress(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var output = new MemoryStream(data.Length / 2 + 16);
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    public byte[] Decompress(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        try
        {
            using var input = new MemoryStream(data);
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream((int)Math.Min(MaxDecompressedBytes, (long)data.Length * 3));
            var buffer = new byte[Math.Min(81920, MaxDecompressedBytes + 1)];
            int read;
            while ((read = zlib.Read(buffer)) > 0)
            {
                if (output.Length + read > MaxDecompressedBytes)
                {
                    throw new DecodingException(
                        $"Stored state of {data.Length} bytes decompresses to more than {MaxDecompressedBytes} bytes, the most an event may have " +
                        "(MAX_EVENT_BYTES): raise it if such events are meant");
                }

                output.Write(buffer, 0, read);
            }

            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new DecodingException("Stored state is not valid zlib data (is COMPRESSOR_TOPIC set the same as when it was written?)", ex);
        }
    }
}
