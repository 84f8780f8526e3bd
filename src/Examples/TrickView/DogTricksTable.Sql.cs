using System.Data.Common;

namespace EventSourcing.Examples.TrickView;

public sealed partial class DogTricksTable
{
    private async Task IncrementInSqlAsync(IRecorderTransaction transaction, Guid dogId, string trick, CancellationToken cancellationToken)
    {
        var (connection, table) = Sql(transaction);

        // The table is created in the same command, every time: remembering that it exists would be wrong after
        // a rolled-back transaction that created it, and both statements go in one round trip.
        await ExecuteAsync(
            connection,
            transaction.Transaction,
            CreateTableSql(transaction.Backend, table) + "; " +
            $"INSERT INTO {table} AS v (dog_id, trick, times) VALUES (@dog_id, @trick, 1) " +
            "ON CONFLICT (dog_id, trick) DO UPDATE SET times = v.times + 1",
            [("dog_id", DogIdValue(transaction.Backend, dogId)), ("trick", trick)],
            cancellationToken);
    }

    private async Task<List<DogTrick>> SelectFromSqlAsync(IRecorderTransaction transaction, Guid? dogId, string? trick, CancellationToken cancellationToken)
    {
        var (connection, table) = Sql(transaction);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction.Transaction;

        // Reads never write, so a view that nothing was written to yet has no table: it is empty.
        command.CommandText = transaction.Backend == "sqlite"
            ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @table"
            : "SELECT count(*) FROM (SELECT to_regclass(@table) AS t) AS r WHERE t IS NOT NULL";
        AddParameter(command, "table", table);
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return [];
        }

        command.Parameters.Clear();
        var where = new List<string>();
        if (dogId is { } id)
        {
            where.Add("dog_id = @dog_id");
            AddParameter(command, "dog_id", DogIdValue(transaction.Backend, id));
        }

        if (trick is not null)
        {
            where.Add("trick = @trick");
            AddParameter(command, "trick", trick);
        }

        command.CommandText = $"SELECT dog_id, trick, times FROM {table}" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : string.Empty);
        List<DogTrick> rows = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var readId = reader.GetValue(0) is Guid guid ? guid : Guid.Parse(reader.GetString(0));
            rows.Add(new DogTrick(readId, reader.GetString(1), Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    private (DbConnection Connection, string Table) Sql(IRecorderTransaction transaction)
    {
        var table = transaction.Backend switch
        {
            "sqlite" => SqliteTable,
            "postgres" => PostgresTable,
            _ => throw new ProgrammingException($"The dog tricks view does not support the {transaction.Backend} backend"),
        };
        var connection = transaction.Connection
            ?? throw new ProgrammingException($"The {transaction.Backend} backend gave the view no connection");
        return (connection, table);
    }

    private static string CreateTableSql(string backend, string table) => backend == "sqlite"
        ? $"CREATE TABLE IF NOT EXISTS {table} (dog_id TEXT NOT NULL, trick TEXT NOT NULL, times INTEGER NOT NULL, PRIMARY KEY (dog_id, trick))"
        : $"CREATE TABLE IF NOT EXISTS {table} (dog_id uuid NOT NULL, trick text NOT NULL, times integer NOT NULL, PRIMARY KEY (dog_id, trick))";

    // SQLite keeps ids as text (readable with sqlite3); PostgreSQL has a uuid type.
    private static object DogIdValue(string backend, Guid dogId) => backend == "sqlite" ? dogId.ToString() : dogId;

    private static async Task ExecuteAsync(
        DbConnection connection,
        DbTransaction? transaction,
        string sql,
        IReadOnlyList<(string Name, object Value)> parameters,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
