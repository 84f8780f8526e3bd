namespace EventSourcing;

public interface ICompressor
{
    byte[] Compress(byte[] data);

    byte[] Decompress(byte[] data);
}
