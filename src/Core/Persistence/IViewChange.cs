namespace EventSourcing;

/// <summary>
/// A change to a non-event-sourced materialized view that a process application keeps in its own
/// database. It runs inside the recorder's transaction, so it commits with the tracking row or not at all.
/// </summary>
public interface IViewChange
{
    Task ApplyAsync(IRecorderTransaction transaction, CancellationToken cancellationToken);
}

/// <summary>
/// The open transaction a view change runs in. SQL backends give their connection and transaction;
/// the in-memory backend gives neither, and a view there keeps its own state under <see cref="Store"/>.
/// </summary>
public interface IRecorderTransaction
{
    /// <summary>The backend's name: <c>popo</c>, <c>sqlite</c> or <c>postgres</c>.</summary>
    string Backend { get; }

    System.Data.Common.DbConnection? Connection { get; }

    System.Data.Common.DbTransaction? Transaction { get; }

    /// <summary>For the in-memory backend: state kept with the recorder, written only when the transaction commits.</summary>
    IDictionary<string, object> Store { get; }
}
