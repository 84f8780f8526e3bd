namespace EventSourcing.Benchmarks;

/// <summary>One line of the results table.</summary>
public sealed record Result(string Measurement, string Value, string Note = "");
