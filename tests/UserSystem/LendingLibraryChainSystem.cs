namespace EventSourcing.UserSystem;

/// <summary>Three applications in a chain: the newsletter follows the catalogue, which follows the library.</summary>
[SystemDefinition("LendingLibraryChain")]
public static class LendingLibraryChainSystem
{
    public static EventSystem System { get; } = new([[typeof(Library), typeof(Catalogue), typeof(Newsletter)]]);
}
