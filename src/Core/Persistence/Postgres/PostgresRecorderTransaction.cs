using System.Data.Common;
using Npgsql;

namespace EventSourcing.Postgres;

/// <summary>The transaction a view change runs in: its SQL commits with the tracking rows and events, or not at all; a view read gets the connection and no transaction.</summary>
internal sealed class PostgresRecorderTransaction(NpgsqlConnection connection, NpgsqlTransaction? transaction) : IRecorderTransaction
{
    public string Backend => "postgres";

    public DbConnection Connection { get; } = connection;

    public DbTransaction? Transaction { get; } = transaction;

    public IDictionary<string, object> Store { get; } = new Dictionary<string, object>(StringComparer.Ordinal);
}
