namespace EventSourcing.Sql;

/// <summary>A table of stored events or snapshots, keyed by (originator id, version).</summary>
/// <param name="Name">The name the database reports in its errors, also the key under which the table is created once.</param>
/// <param name="Qualified">The name as statements write it (quoted, with the schema when there is one).</param>
/// <param name="NumbersRows">True for the events table, whose rows are numbered in the notification log.</param>
internal sealed record SqlEventTable(string Name, string Qualified, bool NumbersRows);
