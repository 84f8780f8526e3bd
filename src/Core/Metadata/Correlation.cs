namespace EventSourcing;

/// <summary>
/// The correlation id of the command being run, for the events it records. Without one, each command's save gets a new
/// id. A caller that has one of its own (a request id, the id of the message being handled) gives it for the calls
/// made inside <see cref="Begin"/>; over gRPC it travels in the <see cref="HeaderName"/> request header, which
/// <c>GrpcRunner</c>'s proxies send from the current scope.
/// </summary>
public static class Correlation
{
    /// <summary>The gRPC (HTTP) request header that carries a command's correlation id: <c>x-correlation-id</c>.</summary>
    public const string HeaderName = "x-correlation-id";

    /// <summary>The most characters a correlation id may have.</summary>
    public const int MaxLength = 128;

    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>The correlation id given to the current flow of execution, or null.</summary>
    public static string? CurrentId => Current.Value;

    /// <summary>A new correlation id: a UUID (8-4-4-4-12, lower case).</summary>
    public static string NewId() => Guid.NewGuid().ToString();

    /// <summary>
    /// Gives <paramref name="correlationId"/> to the commands run until the result is disposed (in this flow of
    /// execution). It must be 1 to <see cref="MaxLength"/> printable ASCII characters.
    /// </summary>
    public static IDisposable Begin(string correlationId)
    {
        ThrowIfInvalid(correlationId, nameof(correlationId));
        var previous = Current.Value;
        Current.Value = correlationId;
        return new Scope(previous);
    }

    /// <summary>Null when <paramref name="correlationId"/> is a valid correlation id, otherwise what is wrong with it.</summary>
    public static string? Validate(string? correlationId)
    {
        if (string.IsNullOrEmpty(correlationId))
        {
            return "is empty";
        }

        if (correlationId.Length > MaxLength)
        {
            return $"has {correlationId.Length} characters, more than the {MaxLength} allowed";
        }

        return correlationId.All(c => c is >= ' ' and <= '~') ? null : "has characters other than printable ASCII";
    }

    private static void ThrowIfInvalid(string correlationId, string parameterName)
    {
        if (Validate(correlationId) is { } problem)
        {
            throw new ArgumentException($"The correlation id {problem}", parameterName);
        }
    }

    private sealed class Scope(string? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
