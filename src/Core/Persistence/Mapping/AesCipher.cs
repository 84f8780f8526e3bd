using System.Security.Cryptography;

namespace EventSourcing;

/// <summary>
/// AES-GCM with a random 96-bit nonce. Stored form: <c>nonce(12) || tag(16) || ciphertext</c>,
/// the layout of Python eventsourcing's <c>AESCipher</c>.
/// </summary>
public sealed class AesCipher : ICipher
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public AesCipher(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length is not (16 or 24 or 32))
        {
            throw new ConfigurationException($"An AES key must be 16, 24 or 32 bytes, not {key.Length}");
        }

        _key = key.ToArray();
    }

    /// <summary>Parses a base64 key, naming <paramref name="settingName"/> in the error when it is not a valid key.</summary>
    public static AesCipher FromBase64(string base64Key, string settingName = "CIPHER_KEY")
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64Key);
        }
        catch (FormatException ex)
        {
            throw new ConfigurationException($"{settingName} is not valid base64", ex);
        }

        if (key.Length is not (16 or 24 or 32))
        {
            throw new ConfigurationException($"{settingName} must be the base64 of 16, 24 or 32 bytes, not {key.Length}");
        }

        return new AesCipher(key);
    }

    /// <summary>A new random key, base64 encoded, as <c>CIPHER_KEY</c> expects.</summary>
    public static string CreateKey(int numBytes = 32)
    {
        if (numBytes is not (16 or 24 or 32))
        {
            throw new ArgumentOutOfRangeException(nameof(numBytes), numBytes, "An AES key is 16, 24 or 32 bytes");
        }

        return Convert.ToBase64String(RandomNumberGenerator.GetBytes(numBytes));
    }

    public byte[] Encrypt(byte[] plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var result = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = result.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, result.AsSpan(NonceSize + TagSize), result.AsSpan(NonceSize, TagSize));
        return result;
    }

    public byte[] Decrypt(byte[] ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        if (ciphertext.Length < NonceSize + TagSize)
        {
            throw new DecodingException($"Encrypted state is {ciphertext.Length} bytes, shorter than nonce and tag ({NonceSize + TagSize})");
        }

        var plaintext = new byte[ciphertext.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(
                ciphertext.AsSpan(0, NonceSize),
                ciphertext.AsSpan(NonceSize + TagSize),
                ciphertext.AsSpan(NonceSize, TagSize),
                plaintext);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new DecodingException("Could not decrypt stored state: wrong cipher key, or the bytes were altered", ex);
        }

        return plaintext;
    }
}
