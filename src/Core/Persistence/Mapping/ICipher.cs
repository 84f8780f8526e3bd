namespace EventSourcing;

public interface ICipher
{
    byte[] Encrypt(byte[] plaintext);

    /// <summary>Throws <see cref="DecodingException"/> for a wrong key or tampered bytes.</summary>
    byte[] Decrypt(byte[] ciphertext);
}
