using System.IO.Compression;

namespace EventSourcing;

/// <summary>zlib format (RFC 1950), readable by Python's <c>zlib.decompress</c>.</summary>
public sealed class ZlibCompressor : ICompressor
{
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
            using var output = new MemoryStream(data.Length * 3);
            zlib.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new DecodingException("Stored state is not valid zlib data (is COMPRESSOR_TOPIC set the same as when it was written?)", ex);
        }
    }
}
