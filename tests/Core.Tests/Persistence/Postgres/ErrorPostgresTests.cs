using System.Net;
using System.Net.Sockets;
using EventSourcing.Postgres;
using EventSourcing.Testing.Persistence.Postgres;
using Npgsql;
using static EventSourcing.Tests.Persistence.RecorderTestData;

namespace EventSourcing.Tests.Persistence.Postgres;

/// <summary>Driver errors come out as the library's exceptions, translated once at the backend boundary.</summary>
public sealed class ErrorPostgresTests : IAsyncLifetime
{
    private readonly PostgresTestModules _modules = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _modules.DisposeAsync().AsTask();

    [Fact]
    public async Task An_unreachable_server_is_a_transient_operational_error()
    {
        var options = new PostgresOptions("eventsourcing", "eventsourcing") { Host = "127.0.0.1", Port = ClosedPort(), ConnectTimeout = TimeSpan.FromSeconds(2) };
        var recorder = Module(options).CreateApplicationRecorder();

        var error = await Assert.ThrowsAsync<OperationalException>(() => recorder.MaxNotificationIdAsync());

        Assert.True(error.IsTransient);
        Assert.DoesNotContain("Password", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_writer_that_cannot_get_the_lock_in_time_gets_a_transient_operational_error()
    {
        var recorder = Module(Copy(PostgresTestServer.Options(_modules.Schema), lockTimeout: TimeSpan.FromSeconds(0.3))).CreateApplicationRecorder();
        await recorder.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);
        await using var holder = await PostgresTestServer.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand(new PostgresSql(_modules.Schema, "Tests").LockEvents, holder, transaction))
        {
            await hold.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<OperationalException>(() => recorder.InsertEventsAsync([Event(Guid.NewGuid(), 1)]));

        Assert.True(error.IsTransient, error.Message);
        Assert.Contains("55P03", error.Message, StringComparison.Ordinal);
        await transaction.RollbackAsync();
        Assert.Single(await recorder.InsertEventsAsync([Event(Guid.NewGuid(), 1)]));
    }

    [Fact]
    public async Task Without_table_creation_a_missing_table_is_a_programming_error()
    {
        var recorder = Module(Copy(PostgresTestServer.Options(_modules.Schema), createTables: false)).CreateApplicationRecorder();

        var error = await Assert.ThrowsAsync<ProgrammingException>(() => recorder.MaxNotificationIdAsync());

        Assert.Contains("42P01", error.Message, StringComparison.Ordinal);
    }

    private static PostgresOptions Copy(PostgresOptions options, TimeSpan? lockTimeout = null, bool createTables = true) => new(options.Database, options.User)
    {
        Host = options.Host,
        Port = options.Port,
        Password = options.Password,
        Schema = options.Schema,
        LockTimeout = lockTimeout ?? options.LockTimeout,
        CreateTables = createTables,
    };

    private PostgresPersistenceModule Module(PostgresOptions options) => _modules.Create(options);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
