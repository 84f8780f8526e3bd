namespace EventSourcing.Runner.Processes;

/// <summary>How to start one node: its application, address, command-line arguments and environment.</summary>
public sealed record NodeSpec(string Name, Uri Url, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment);
