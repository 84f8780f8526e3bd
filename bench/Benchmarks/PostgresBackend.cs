namespace EventSourcing.Benchmarks;

/// <summary>
/// PostgreSQL from the <c>POSTGRES_*</c> variables, in a fresh schema per measurement (<c>POSTGRES_SCHEMA</c>),
/// dropped afterwards.
/// </summary>
public sealed class PostgresBackend(PostgresServer server) : Backend
{
    public override string Name => "postgres";

    public override string Description => $"postgres {server.Description}, a fresh schema per measurement";

    public override bool IsDurable => true;

    /// <summary>Reads the connection settings from the process environment and checks that the server answers.</summary>
    public static async Task<PostgresBackend> ConnectAsync(CancellationToken cancellationToken)
        => new(await PostgresServer.ConnectAsync(cancellationToken));

    public override Task<BackendScope> OpenAsync(CancellationToken cancellationToken)
    {
        var schema = PostgresServer.NewSchemaName("bench_");
        var settings = new Dictionary<string, string>(server.Settings, StringComparer.Ordinal)
        {
            ["PERSISTENCE_MODULE"] = "postgres",
            ["POSTGRES_SCHEMA"] = schema,
        };
        return Task.FromResult(new BackendScope(settings, () => server.DropSchemaAsync(schema)));
    }
}
