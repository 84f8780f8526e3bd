namespace EventSourcing;

/// <summary>
/// Builds an application's mapper from <c>COMPRESSOR_TOPIC</c>, <c>CIPHER_TOPIC</c>, <c>CIPHER_KEY</c> and
/// <c>MAX_EVENT_BYTES</c> (the most bytes of JSON one event may have, written or decompressed; default 16 MiB).
/// </summary>
public static class MapperFactory
{
    private static readonly string[] ZlibTopics = ["zlib", "eventsourcing.compressor:ZlibCompressor", "EventSourcing.ZlibCompressor"];
    private static readonly string[] AesTopics = ["aes", "aesgcm", "eventsourcing.cipher:AESCipher", "EventSourcing.AesCipher"];

    public static Mapper FromEnvironment(ApplicationEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var maxEventBytes = environment.GetInt("MAX_EVENT_BYTES", Mapper.DefaultMaxEventBytes, min: 1);
        ICompressor? compressor = null;
        if (environment.Get("COMPRESSOR_TOPIC") is { } compressorTopic)
        {
            compressor = ZlibTopics.Contains(compressorTopic, StringComparer.OrdinalIgnoreCase)
                ? new ZlibCompressor(maxEventBytes)
                : throw new ConfigurationException(
                    $"Application {environment.ApplicationName}: {environment.NameOf("COMPRESSOR_TOPIC")}='{compressorTopic}' is not a known compressor (use zlib)");
        }

        ICipher? cipher = null;
        var cipherTopic = environment.Get("CIPHER_TOPIC");
        var cipherKey = environment.Get("CIPHER_KEY");
        if (cipherTopic is not null && !AesTopics.Contains(cipherTopic, StringComparer.OrdinalIgnoreCase))
        {
            throw new ConfigurationException(
                $"Application {environment.ApplicationName}: {environment.NameOf("CIPHER_TOPIC")}='{cipherTopic}' is not a known cipher (use aes)");
        }

        if (cipherTopic is not null && cipherKey is null)
        {
            throw new ConfigurationException(
                $"Application {environment.ApplicationName}: {environment.NameOf("CIPHER_TOPIC")} is set, so {environment.Prefix}CIPHER_KEY (or CIPHER_KEY) is required");
        }

        if (cipherKey is not null)
        {
            cipher = AesCipher.FromBase64(cipherKey, $"Application {environment.ApplicationName}: {environment.NameOf("CIPHER_KEY")}");
        }

        return new Mapper(compressor, cipher, maxEventBytes);
    }
}
