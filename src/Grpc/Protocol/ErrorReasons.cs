namespace EventSourcing.Grpc.Protocol;

/// <summary>
/// The stable <c>reason</c> of the <c>google.rpc.ErrorInfo</c> that every error of the protocol carries, in the
/// domain <see cref="Domain"/>. Clients branch on these, not on messages, which are for people.
/// </summary>
public static class ErrorReasons
{
    public const string Domain = "eventsourcing.v1";

    /// <summary>NOT_FOUND: <c>Application.Call</c> named a method the application does not expose (metadata <c>method</c>).</summary>
    public const string MethodNotFound = "METHOD_NOT_FOUND";

    /// <summary>INVALID_ARGUMENT: a call's arguments do not fit the method (count or type); a BadRequest names <c>args[i]</c>.</summary>
    public const string BadArguments = "BAD_ARGUMENTS";

    /// <summary>INVALID_ARGUMENT: a request field is out of range (start, limit, stop, topics); a BadRequest names it.</summary>
    public const string BadRequest = "BAD_REQUEST";

    /// <summary>INVALID_ARGUMENT: the application rejected an argument (its own <see cref="ArgumentException"/>).</summary>
    public const string ArgumentRejected = "ARGUMENT_REJECTED";

    /// <summary>NOT_FOUND: no aggregate with the id (metadata <c>aggregate_id</c>, and <c>version</c> when one was asked for).</summary>
    public const string AggregateNotFound = "AGGREGATE_NOT_FOUND";

    /// <summary>ABORTED: the aggregate was changed by someone else first; get it again and retry the command.</summary>
    public const string VersionConflict = "VERSION_CONFLICT";

    /// <summary>ALREADY_EXISTS: a write broke a uniqueness rule other than an aggregate's version (e.g. a tracked notification).</summary>
    public const string IntegrityError = "INTEGRITY_ERROR";

    /// <summary>UNAVAILABLE: the node's store could not be reached or timed out (metadata <c>transient</c>: true or false).</summary>
    public const string StoreUnavailable = "STORE_UNAVAILABLE";

    /// <summary>FAILED_PRECONDITION: a setting is missing or invalid.</summary>
    public const string ConfigurationError = "CONFIGURATION_ERROR";

    /// <summary>FAILED_PRECONDITION: the application's code or schema is wrong (bad SQL, missing table, unknown topic).</summary>
    public const string ProgrammingError = "PROGRAMMING_ERROR";

    /// <summary>DATA_LOSS: stored bytes could not be decoded (wrong key, tampered data).</summary>
    public const string DecodingFailed = "DECODING_FAILED";

    /// <summary>FAILED_PRECONDITION: the application refused the operation in its current state (its <see cref="InvalidOperationException"/>).</summary>
    public const string InvalidOperation = "INVALID_OPERATION";

    /// <summary>FAILED_PRECONDITION: another error the application raised on purpose (metadata <c>exception</c>: its type).</summary>
    public const string ApplicationError = "APPLICATION_ERROR";

    /// <summary>UNAUTHENTICATED: the node requires <c>authorization: Bearer TOKEN</c> and the call had none, or another token.</summary>
    public const string Unauthenticated = "UNAUTHENTICATED";

    /// <summary>
    /// RESOURCE_EXHAUSTED: the node serves as many Subscribe streams as it is allowed (metadata <c>max_subscribers</c>);
    /// try again later, or follow another node.
    /// </summary>
    public const string TooManySubscribers = "TOO_MANY_SUBSCRIBERS";

    /// <summary>
    /// PERMISSION_DENIED: <c>Read</c> asked for <c>decode</c> on a node that authenticates no caller and is reachable from
    /// other hosts (started with <c>--insecure</c>): plaintext goes only to authenticated callers, or on loopback.
    /// </summary>
    public const string DecodeNotPermitted = "DECODE_NOT_PERMITTED";

    /// <summary>INTERNAL: an unexpected error; the node logged it.</summary>
    public const string Internal = "INTERNAL";
}
