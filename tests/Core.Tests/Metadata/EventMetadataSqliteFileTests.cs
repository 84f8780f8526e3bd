using EventSourcing.Examples.DogSchool;
using EventSourcing.Testing;
using EventSourcing.Testing.Persistence.Sqlite;

namespace EventSourcing.Tests.Metadata;

public sealed class EventMetadataSqliteFileTests : EventMetadataTests
{
    private readonly TempDirectory _directory = new();

    protected override IReadOnlyDictionary<string, string> StoreSettings
        => SqliteTestSettings.FilePerApplication(DogSchoolSystem.System, _directory.Path);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }
}
