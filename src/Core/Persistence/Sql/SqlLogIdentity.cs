using System.Data.Common;
using System.Globalization;

namespace EventSourcing.Sql;

/// <summary>
/// The identity of one datastore's log and the application it belongs to, read once, before the datastore's first
/// use. The first application to use the tables records its name as their owner (tables of an earlier version get the
/// owner's column with the events table's DDL, and then an owner the same way); a datastore of another application
/// stops there, with the backend's <see cref="SqlDatastore.BelongsToAnother"/>.
/// </summary>
internal sealed class SqlLogIdentity(SqlDatastore datastore)
{
    // Set once read and checked: every call of every recorder of the datastore awaits it.
    private Task<Guid>? _logId;

    /// <summary>The log id, once the tables are known to be this application's. Creates the tables first (unless table creation is off).</summary>
    public Task<Guid> GetAsync(CancellationToken cancellationToken) => _logId ?? ReadAsync(cancellationToken);

    /// <summary>
    /// Gives a log identity table of an earlier version the owner's column. Runs in the events table's DDL
    /// transaction, after the table was created if missing.
    /// </summary>
    public async Task AddOwnerColumnIfMissingAsync(SqlRecorderTransaction transaction, CancellationToken cancellationToken)
    {
        await using var count = transaction.Command(datastore.Sql.CountLogOwnerColumn);
        if (Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
        {
            await using var add = transaction.Command(datastore.Sql.AddLogOwnerColumn);
            await add.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task<Guid> ReadAsync(CancellationToken cancellationToken)
    {
        await datastore.EnsureTableAsync(datastore.Sql.Events, cancellationToken);
        var table = datastore.Sql.LogIdentityTable;
        var row = await datastore.UsingTableAsync(
            table,
            "The notification log's identity could not be read from",
            () => datastore.ReadAsync((connection, ct) => ReadRowAsync(SqlDatastore.Command(connection, datastore.Sql.SelectLogIdentity), ct), cancellationToken));
        if (row is not { } found)
        {
            throw new ProgrammingException($"The table {table} holds no log identity: its one row is written when the tables are created");
        }

        var (logId, owner) = found;
        owner ??= await ClaimAsync(cancellationToken);
        if (!string.Equals(owner, datastore.ApplicationName, StringComparison.Ordinal))
        {
            throw datastore.BelongsToAnother(owner);
        }

        _logId = Task.FromResult(logId);
        return logId;
    }

    /// <summary>Records this application as the owner unless another was recorded first; returns the owner.</summary>
    private Task<string> ClaimAsync(CancellationToken cancellationToken)
        => datastore.TransactAsync(
            async (transaction, ct) =>
            {
                await using (var claim = transaction.Command(datastore.Sql.ClaimLogIdentity))
                {
                    datastore.AddParameter(claim, "application", datastore.ApplicationName);
                    await claim.ExecuteNonQueryAsync(ct);
                }

                return (await ReadRowAsync(transaction.Command(datastore.Sql.SelectLogIdentity), ct))!.Value.Owner!;
            },
            cancellationToken);

    /// <summary>Runs <paramref name="select"/> (and disposes it); null when the table has no row.</summary>
    private static async Task<(Guid LogId, string? Owner)?> ReadRowAsync(DbCommand select, CancellationToken cancellationToken)
    {
        await using var command = select;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return (reader.GetGuid(0), await reader.IsDBNullAsync(1, cancellationToken) ? null : reader.GetString(1));
    }
}
