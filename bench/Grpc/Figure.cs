using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using EventSourcing.Benchmarks;

namespace EventSourcing.GrpcBench;

/// <summary>One figure of the benchmark, printed as a row of the table and as one JSON line; a ratio says what it is compared with.</summary>
internal sealed record Figure(
    string Name,
    string Store,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Clients,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? InFlight,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? N,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Node,
    double Value,
    string Unit,
    double? Ratio,
    string? RatioTo)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Figure Of(
        string name, string store, double value, string unit, double? baseline, string ratioTo, int? clients = null, int? n = null, string? node = null, int? inFlight = null)
        => new(
            name,
            store,
            clients,
            inFlight,
            n,
            node,
            Math.Round(value, value >= 100 ? 0 : 2),
            unit,
            baseline is > 0 && !double.IsNaN(value) ? Math.Round(value / baseline.Value, 2) : null,
            baseline is > 0 ? ratioTo : null);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Prints the figures as a table: one row each.</summary>
    public static void WriteTable(IReadOnlyList<Figure> figures, TextWriter output)
    {
        string[] header = ["store", "figure", "clients", "in flight", "n", "node", "value", "unit", "ratio", "ratio to"];
        var rows = figures.Select(f => new[]
        {
            f.Store,
            f.Name,
            f.Clients?.ToString(CultureInfo.InvariantCulture) ?? "-",
            f.InFlight?.ToString(CultureInfo.InvariantCulture) ?? "-",
            f.N?.ToString("N0", CultureInfo.InvariantCulture) ?? "-",
            f.Node ?? "-",
            double.IsNaN(f.Value) ? "-" : f.Value.ToString(f.Value >= 100 ? "N0" : "0.00", CultureInfo.InvariantCulture),
            f.Unit,
            f.Ratio?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-",
            f.RatioTo ?? "-",
        }).ToList();
        TextTable.Write(header, rows, output);
    }
}
