using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EventSourcing.Tests.Persistence;

public class MapperTests
{
    private const string Secret = "the secret recipe: three parts sugar";
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void An_event_survives_the_round_trip(bool compress, bool encrypt)
    {
        var mapper = new Mapper(compress ? new ZlibCompressor() : null, encrypt ? new AesCipher(Key) : null);
        var original = NewNoted(Secret);

        var stored = mapper.ToStoredEvent(original);
        var decoded = mapper.ToDomainEvent(stored);

        Assert.Equal((original.OriginatorId, 7, Topics.Of<Noted>()), (stored.OriginatorId, stored.OriginatorVersion, stored.Topic));
        Assert.Equal(original, decoded);
    }

    [Fact]
    public void Without_a_cipher_the_state_is_plain_JSON()
    {
        var stored = new Mapper().ToStoredEvent(NewNoted(Secret));

        Assert.Contains(Secret, Encoding.UTF8.GetString(stored.State), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Encrypted_state_does_not_contain_the_plaintext(bool compress)
    {
        var mapper = new Mapper(compress ? new ZlibCompressor() : null, new AesCipher(Key));
        var original = NewNoted(Secret);

        var stored = mapper.ToStoredEvent(original);

        Assert.Equal(-1, stored.State.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Secret)));
        Assert.Equal(-1, stored.State.AsSpan().IndexOf(Encoding.UTF8.GetBytes("sugar")));
        Assert.Equal(original, mapper.ToDomainEvent(stored));
    }

    [Fact]
    public void Compressed_state_is_zlib_and_smaller_for_repetitive_text()
    {
        var text = string.Concat(Enumerable.Repeat("roll over, ", 100));
        var plain = new Mapper().ToStoredEvent(NewNoted(text));
        var compressed = new Mapper(new ZlibCompressor()).ToStoredEvent(NewNoted(text));

        Assert.True(compressed.State.Length < plain.State.Length / 4, $"{compressed.State.Length} vs {plain.State.Length}");
        using var zlib = new ZLibStream(new MemoryStream(compressed.State), CompressionMode.Decompress);
        using var json = new MemoryStream();
        zlib.CopyTo(json);
        Assert.Contains(text, Encoding.UTF8.GetString(json.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void The_originator_id_and_version_are_not_in_the_JSON()
    {
        var original = NewNoted(Secret);

        var state = new Mapper().ToStoredEvent(original).State;

        using var document = JsonDocument.Parse(state);
        var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("text", names);
        Assert.Contains("timestamp", names);
        Assert.DoesNotContain(names, n => n.Contains("originator", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(original.OriginatorId.ToString(), Encoding.UTF8.GetString(state), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_wrong_key_is_a_decoding_error()
    {
        var stored = new Mapper(cipher: new AesCipher(Key)).ToStoredEvent(NewNoted(Secret));
        var other = new Mapper(cipher: new AesCipher(RandomNumberGenerator.GetBytes(32)));

        var error = Assert.Throws<DecodingException>(() => other.ToDomainEvent(stored));

        Assert.Contains("key", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData(27)]
    [InlineData(28)]
    [InlineData(-1)]
    public void A_tampered_byte_is_a_decoding_error(int index)
    {
        var mapper = new Mapper(new ZlibCompressor(), new AesCipher(Key));
        var stored = mapper.ToStoredEvent(NewNoted(Secret));
        var state = stored.State.ToArray();
        state[index < 0 ? state.Length + index : index] ^= 0x01;

        Assert.Throws<DecodingException>(() => mapper.ToDomainEvent(stored with { State = state }));
    }

    [Fact]
    public void Truncated_ciphertext_is_a_decoding_error()
        => Assert.Throws<DecodingException>(() => new AesCipher(Key).Decrypt(new byte[27]));

    [Fact]
    public void Ciphertext_is_nonce_then_tag_then_encrypted_bytes()
    {
        var plaintext = Encoding.UTF8.GetBytes(Secret);
        var cipher = new AesCipher(Key);

        var encrypted = cipher.Encrypt(plaintext);

        Assert.Equal(plaintext.Length + 12 + 16, encrypted.Length);
        var decrypted = new byte[plaintext.Length];
        using var aes = new AesGcm(Key, 16);
        aes.Decrypt(encrypted.AsSpan(0, 12), encrypted.AsSpan(28), encrypted.AsSpan(12, 16), decrypted);
        Assert.Equal(plaintext, decrypted);
        Assert.NotEqual(encrypted, cipher.Encrypt(plaintext));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(32)]
    public void Keys_of_16_24_and_32_bytes_work(int size)
    {
        var cipher = AesCipher.FromBase64(AesCipher.CreateKey(size));

        Assert.Equal(Encoding.UTF8.GetBytes(Secret), cipher.Decrypt(cipher.Encrypt(Encoding.UTF8.GetBytes(Secret))));
    }

    [Fact]
    public void A_renamed_type_loads_events_stored_under_its_old_topic_alias()
    {
        var stored = new Mapper().ToStoredEvent(new Renamed("kept") { OriginatorId = Guid.NewGuid(), OriginatorVersion = 1 });
        Assert.Equal("tests:mapper.Renamed", stored.Topic);

        var decoded = new Mapper().ToDomainEvent(stored with { Topic = "tests:mapper.BeforeRename" });

        Assert.Equal("kept", Assert.IsType<Renamed>(decoded).Text);
    }

    [Fact]
    public void A_registered_alias_resolves_to_the_type()
    {
        var stored = new Mapper().ToStoredEvent(new Moved(3) { OriginatorId = Guid.NewGuid(), OriginatorVersion = 2 });
        Topics.RegisterAlias("tests:mapper.OldNamespace:Moved", typeof(Moved));

        var decoded = new Mapper().ToDomainEvent(stored with { Topic = "tests:mapper.OldNamespace:Moved" });

        Assert.Equal(3, Assert.IsType<Moved>(decoded).Distance);
        Assert.Equal(2, decoded.OriginatorVersion);
    }

    [Fact]
    public void An_unknown_topic_is_a_decoding_error_naming_it()
    {
        var stored = new Mapper().ToStoredEvent(NewNoted(Secret));

        var error = Assert.Throws<DecodingException>(() => new Mapper().ToDomainEvent(stored with { Topic = "tests:mapper.NoSuchEvent" }));

        Assert.Contains("tests:mapper.NoSuchEvent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_state_that_decompresses_beyond_the_maximum_is_a_decoding_error_naming_the_setting()
    {
        // 64 MiB of zeros compress to about 64 KiB: stored, it would expand a thousandfold on every read.
        var bomb = new ZlibCompressor(int.MaxValue).Compress(new byte[64 << 20]);
        var mapper = new Mapper(new ZlibCompressor(), new AesCipher(Key));
        var stored = new StoredEvent(Guid.NewGuid(), 1, Topics.Of<Noted>(), new AesCipher(Key).Encrypt(bomb));

        var error = Assert.Throws<DecodingException>(() => mapper.ToDomainEvent(stored));

        Assert.Contains("MAX_EVENT_BYTES", error.Message, StringComparison.Ordinal);
        Assert.Contains($"more than {Mapper.DefaultMaxEventBytes} bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_event_bigger_than_the_maximum_is_refused_when_written_and_when_read(bool compress)
    {
        var big = NewNoted(new string('x', 2000));
        var small = new Mapper(compress ? new ZlibCompressor(1000) : null, maxEventBytes: 1000);

        var refused = Assert.Throws<ArgumentException>(() => small.ToStoredEvent(big));
        Assert.Contains("MAX_EVENT_BYTES", refused.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(Noted), refused.Message, StringComparison.Ordinal);

        var stored = new Mapper(compress ? new ZlibCompressor() : null).ToStoredEvent(big);
        var unread = Assert.Throws<DecodingException>(() => small.ToDomainEvent(stored));
        Assert.Contains("MAX_EVENT_BYTES", unread.Message, StringComparison.Ordinal);
        Assert.Equal(big, new Mapper(compress ? new ZlibCompressor() : null).ToDomainEvent(stored));
    }

    [Fact]
    public void The_factory_reads_the_maximum_event_size()
    {
        var mapper = MapperFactory.FromEnvironment(Settings(("COMPRESSOR_TOPIC", "zlib"), ("SHOP_MAX_EVENT_BYTES", "4096")));

        Assert.Equal(4096, mapper.MaxEventBytes);
        Assert.Equal(4096, Assert.IsType<ZlibCompressor>(mapper.Compressor).MaxDecompressedBytes);
        Assert.Equal(Mapper.DefaultMaxEventBytes, MapperFactory.FromEnvironment(Settings()).MaxEventBytes);
        var error = Assert.Throws<ConfigurationException>(() => MapperFactory.FromEnvironment(Settings(("MAX_EVENT_BYTES", "0"))));
        Assert.Contains("MAX_EVENT_BYTES", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_factory_builds_a_compressing_encrypting_mapper_from_settings()
    {
        var mapper = MapperFactory.FromEnvironment(Settings(("COMPRESSOR_TOPIC", "zlib"), ("SHOP_CIPHER_KEY", AesCipher.CreateKey())));

        Assert.IsType<ZlibCompressor>(mapper.Compressor);
        Assert.IsType<AesCipher>(mapper.Cipher);
        Assert.Null(MapperFactory.FromEnvironment(Settings()).Cipher);
        Assert.Null(MapperFactory.FromEnvironment(Settings()).Compressor);
    }

    [Theory]
    [InlineData("CIPHER_KEY", "not base64!", "CIPHER_KEY")]
    [InlineData("SHOP_CIPHER_KEY", "not base64!", "SHOP_CIPHER_KEY")]
    [InlineData("CIPHER_KEY", "AAECAwQFBgcICQ==", "CIPHER_KEY")]
    [InlineData("COMPRESSOR_TOPIC", "lz4", "COMPRESSOR_TOPIC")]
    [InlineData("SHOP_CIPHER_TOPIC", "rot13", "SHOP_CIPHER_TOPIC")]
    [InlineData("CIPHER_TOPIC", "aes", "CIPHER_KEY")]
    public void A_bad_setting_is_an_error_naming_the_variable(string key, string value, string named)
    {
        var error = Assert.Throws<ConfigurationException>(() => MapperFactory.FromEnvironment(Settings((key, value))));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_of_the_wrong_length_is_an_error_giving_the_length()
    {
        var tenBytes = Convert.ToBase64String(new byte[10]);

        var error = Assert.Throws<ConfigurationException>(() => MapperFactory.FromEnvironment(Settings(("CIPHER_KEY", tenBytes))));

        Assert.Contains("CIPHER_KEY", error.Message, StringComparison.Ordinal);
        Assert.Contains("10", error.Message, StringComparison.Ordinal);
    }

    private static Noted NewNoted(string text) => new(text, 42, Guid.NewGuid())
    {
        OriginatorId = Guid.NewGuid(),
        OriginatorVersion = 7,
        Timestamp = DateTimeOffset.UtcNow,
    };

    private static ApplicationEnvironment Settings(params (string Key, string Value)[] values)
        => new("Shop", values.ToDictionary(v => v.Key, v => v.Value), includeProcessEnvironment: false);

    public sealed record Noted(string Text, int Count, Guid Reference) : DomainEvent;

    [Topic("tests:mapper.Renamed")]
    [TopicAlias("tests:mapper.BeforeRename")]
    public sealed record Renamed(string Text) : DomainEvent;

    public sealed record Moved(int Distance) : DomainEvent;
}
