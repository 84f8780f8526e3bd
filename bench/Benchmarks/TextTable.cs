namespace EventSourcing.Benchmarks;

/// <summary>A plain-text table: a header, a rule, and the rows, each column as wide as its widest cell.</summary>
public static class TextTable
{
    public static void Write(IReadOnlyList<string> header, IReadOnlyList<string[]> rows, TextWriter output)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(row => row[i].Length))).ToArray();
        output.WriteLine(string.Join(" | ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        output.WriteLine(string.Join("-|-", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            output.WriteLine(string.Join(" | ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
