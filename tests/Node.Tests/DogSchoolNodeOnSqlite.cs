using EventSourcing.Testing;

namespace EventSourcing.Node.Tests;

/// <summary>A test class's DogSchool node, served in memory, on an SQLite file of the test's own.</summary>
public abstract class DogSchoolNodeOnSqlite : IAsyncLifetime
{
    private InMemoryNode? _school;

    internal TempDirectory Data { get; } = new();

    internal InMemoryNode School => _school ?? throw new InvalidOperationException("The node starts before the first test");

    /// <summary>DogSchool's database file, for what the node cannot be asked to do (skip ids ahead).</summary>
    protected string DatabaseFile => Data.File("dogschool.db");

    public async Task InitializeAsync() => _school = await InMemoryNode.StartOnSqliteAsync("DogSchool", Data);

    public async Task DisposeAsync()
    {
        if (_school is not null)
        {
            await _school.DisposeAsync();
        }

        Data.Dispose();
    }
}
