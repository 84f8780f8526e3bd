using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace EventSourcing.Sqlite;

/// <summary>The write transaction a view change runs in: its SQL commits with the tracking rows, or not at all; a view read gets the connection and no transaction.</summary>
internal sealed class SqliteRecorderTransaction(SqliteConnection connection, SqliteTransaction? transaction) : IRecorderTransaction
{
    public string Backend => "sqlite";

    public DbConnection Connection { get; } = connection;

    public DbTransaction? Transaction { get; } = transaction;

    public IDictionary<string, object> Store { get; } = new Dictionary<string, object>(StringComparer.Ordinal);
}
