namespace EventSourcing.Tests.Domain;

public class UuidTests
{
    [Theory]
    [InlineData("/dogs/Billy", "ee4f99b5-a356-54a9-b61a-13b59c26f3fb")]
    [InlineData("/counters/roll over", "e951d9c0-8277-5b65-9370-ca0538708552")]
    public void Version_5_ids_match_Pythons_uuid5(string name, string expected)
        => Assert.Equal(Guid.Parse(expected), Uuid.V5(Uuid.NamespaceUrl, name));
}
