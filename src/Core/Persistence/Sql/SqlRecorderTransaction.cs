using System.Data.Common;

namespace EventSourcing.Sql;

/// <summary>
/// What a view change gets from a SQL recorder: the write transaction, so its SQL commits with the tracking rows
/// and events or not at all; a view read gets the connection and no transaction.
/// </summary>
internal sealed class SqlRecorderTransaction(string backend, DbConnection connection, DbTransaction? transaction) : IRecorderTransaction
{
    public string Backend { get; } = backend;

    public DbConnection Connection { get; } = connection;

    public DbTransaction? Transaction { get; } = transaction;

    public IDictionary<string, object> Store { get; } = new Dictionary<string, object>(StringComparer.Ordinal);

    /// <summary>A command on the connection, in the transaction when there is one (SQLite refuses a command outside it).</summary>
    public DbCommand Command(string sql)
    {
        var command = SqlDatastore.Command(Connection, sql);
        command.Transaction = Transaction;
        return command;
    }

    /// <summary>Applies the changes in order, each seeing what the ones before it wrote.</summary>
    public async Task ApplyAsync(IReadOnlyList<IViewChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            await change.ApplyAsync(this, cancellationToken);
        }
    }
}
