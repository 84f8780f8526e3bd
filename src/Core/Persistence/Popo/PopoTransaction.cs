using System.Data.Common;

namespace EventSourcing.Popo;

/// <summary>
/// The in-memory view store. A batch's view changes work on a shallow copy of the store that replaces
/// it only when every change succeeded, so a failed batch leaves the views as they were
/// (store immutable values, or replace a value rather than mutate it).
/// </summary>
internal sealed class PopoTransaction
{
    private Dictionary<string, object> _committed = new(StringComparer.Ordinal);

    public Staged Begin() => new(new Dictionary<string, object>(_committed, StringComparer.Ordinal));

    /// <summary>A read-only view of the committed store.</summary>
    public Staged Read() => new(new System.Collections.ObjectModel.ReadOnlyDictionary<string, object>(_committed));

    public void Commit(Staged staged) => _committed = (Dictionary<string, object>)staged.Store;

    internal sealed class Staged(IDictionary<string, object> store) : IRecorderTransaction
    {
        public string Backend => "popo";

        public DbConnection? Connection => null;

        public DbTransaction? Transaction => null;

        public IDictionary<string, object> Store { get; } = store;
    }
}
