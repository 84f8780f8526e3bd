namespace EventSourcing.Runner.Cli;

/// <summary>
/// What <c>verify</c> found on one edge (a leader and a follower): the notifications of interest up to the follower's
/// position (<see cref="UpTo"/>) that it has no tracking record of (<see cref="Missing"/>, holes) or more than one
/// (<see cref="Duplicated"/>); the follower's events whose causation names a notification of the leader it has not
/// tracked (<see cref="Untraced"/>, by the follower's notification id); and how many events traced to a tracked
/// notification or could not be checked (recorded before metadata, or metadata the node would not decode).
/// <see cref="Failure"/> says why the edge could not be checked at all.
/// </summary>
internal sealed record EdgeVerdict(
    string Leader,
    string Follower,
    long UpTo,
    long Expected,
    IReadOnlyList<long> Missing,
    IReadOnlyList<long> Duplicated,
    IReadOnlyList<(long Event, long Cause)> Untraced,
    long Traced,
    long Unverifiable,
    string? Failure = null)
{
    public bool Holds => Failure is null && Missing.Count == 0 && Duplicated.Count == 0 && Untraced.Count == 0;

    public static EdgeVerdict Unchecked(string leader, string follower, string failure) => new(leader, follower, 0, 0, [], [], [], 0, 0, failure);

    /// <summary>One line: OK with the counts, or what is wrong with every id named.</summary>
    public string Line()
    {
        var edge = $"{Leader} -> {Follower}";
        if (Failure is not null)
        {
            return $"UNCHECKED {edge}: {Failure}";
        }

        var events = $"{Traced} events trace to tracked notifications, {Unverifiable} unverifiable (recorded before metadata, or not decodable here)";
        if (Holds)
        {
            return $"OK {edge}: all {Expected} notifications of interest up to {UpTo} tracked once; {events}";
        }

        var problems = new List<string>();
        if (Missing.Count > 0)
        {
            problems.Add($"{Missing.Count} notifications of interest up to {UpTo} not tracked (holes): {string.Join(", ", Missing)}");
        }

        if (Duplicated.Count > 0)
        {
            problems.Add($"tracked more than once: {string.Join(", ", Duplicated)}");
        }

        if (Untraced.Count > 0)
        {
            problems.Add($"events caused by untracked notifications: {string.Join(", ", Untraced.Select(u => $"{u.Event} (caused by {Leader} {u.Cause})"))}");
        }

        return $"FAIL {edge}: {string.Join("; ", problems)}; {events}";
    }
}
