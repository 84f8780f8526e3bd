namespace EventSourcing.UserSystem;

[SystemDefinition("LendingLibrary")]
public static class LendingLibrarySystem
{
    public static EventSystem System { get; } = new([[typeof(Library), typeof(Catalogue)]]);
}
