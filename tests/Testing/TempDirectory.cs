namespace EventSourcing.Testing;

/// <summary>A directory of the test's own, deleted with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("eventsourcing-tests-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <remarks>
    /// SQLite files may still be open in a pool: on Linux they are deleted all the same. Clearing every pool here
    /// would close connections that tests running beside this one are using.
    /// </remarks>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process killed a moment ago may still hold a file; the OS cleans the temp directory eventually.
        }
    }
}
