namespace EventSourcing.Sql;

/// <summary>The tables a datastore has created (or found) in this process, so each one's DDL runs once.</summary>
internal sealed class CreatedTables
{
    private readonly HashSet<string> _tables = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="create"/> unless <paramref name="table"/> is known; a creation that fails is tried again next time.</summary>
    public async Task EnsureAsync(string table, Func<CancellationToken, Task> create, CancellationToken cancellationToken)
    {
        lock (_tables)
        {
            if (_tables.Contains(table))
            {
                return;
            }
        }

        await create(cancellationToken);
        lock (_tables)
        {
            _tables.Add(table);
        }
    }
}
