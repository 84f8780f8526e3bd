namespace EventSourcing.Tests.Domain;

public class UuidTests
{
    [Theory]
    [InlineData("/dogs/Billy", "ee4f99b5-a356-54a9-b61a-13b59c26f3fb")]
    [InlineData("/counters/roll over", "e951d9c0-8277-5b65-9370-ca0538708552")]
    public void Version_5_ids_match_Pythons_uuid5(string name, string expected)
        => Assert.Equal(Guid.Parse(expected), Uuid.V5(Uuid.NamespaceUrl, name));

    [Fact]
    public void Gives_the_same_id_for_a_name_before_and_after_its_cache_fills_up()
    {
        var expected = Guid.Parse("ee4f99b5-a356-54a9-b61a-13b59c26f3fb");
        Assert.Equal(expected, Uuid.V5(Uuid.NamespaceUrl, "/dogs/Billy"));
        for (var i = 0; i < 20_001; i++)
        {
            Uuid.V5(Uuid.NamespaceUrl, $"/dogs/dog {i}");
        }

        Assert.Equal(expected, Uuid.V5(Uuid.NamespaceUrl, "/dogs/Billy"));
        Assert.NotEqual(Uuid.V5(Uuid.NamespaceUrl, "/dogs/Billy"), Uuid.V5(Uuid.NamespaceDns, "/dogs/Billy"));
    }
}
