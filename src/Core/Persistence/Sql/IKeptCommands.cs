using System.Data.Common;

namespace EventSourcing.Sql;

/// <summary>
/// A connection that keeps its commands prepared between uses: <see cref="SqlDatastore.Command"/> asks it for the
/// command of a statement instead of making a new one, and disposing what it gave only makes it ready for the next use.
/// </summary>
internal interface IKeptCommands
{
    /// <summary>The connection's command for <paramref name="sql"/>, with no parameters; null when it keeps none for it.</summary>
    DbCommand? Command(string sql);
}
