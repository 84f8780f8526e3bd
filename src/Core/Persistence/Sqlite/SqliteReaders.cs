using System.Collections.Concurrent;

namespace EventSourcing.Sqlite;

/// <summary>
/// Open read connections of a file database, each keeping its prepared commands (<see cref="SqliteKeptConnection"/>),
/// lent one reader at a time. Up to <see cref="MaxIdle"/> wait for the next read; more are closed when returned.
/// </summary>
internal sealed class SqliteReaders(string connectionString)
{
    public const int MaxIdle = 8;

    private readonly ConcurrentBag<SqliteKeptConnection> _idle = [];
    private int _idleCount;
    private volatile bool _disposed;

    public async Task<SqliteKeptConnection> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            return idle;
        }

        var connection = new SqliteKeptConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return connection;
    }

    /// <summary>Takes back a connection after a read; one that failed is closed, as the pool would have made it anew.</summary>
    public async ValueTask ReturnAsync(SqliteKeptConnection connection, bool failed)
    {
        if (failed || _disposed || Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            if (!failed && !_disposed)
            {
                Interlocked.Decrement(ref _idleCount);
            }

            await connection.DisposeAsync();
            return;
        }

        _idle.Add(connection);
        if (_disposed)
        {
            // Disposed meanwhile: DisposeAsync may have emptied the bag before this connection was added.
            await CloseIdleAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await CloseIdleAsync();
    }

    private async ValueTask CloseIdleAsync()
    {
        while (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            await connection.DisposeAsync();
        }
    }
}
