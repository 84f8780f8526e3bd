namespace EventSourcing.Grpc.Protocol;

/// <summary>What both ends of <c>Application.CallStream</c> agree on.</summary>
public static class CallStreamLimits
{
    /// <summary>
    /// The calls of one stream a node holds at once, from taking each on until its answer is written. With that many,
    /// the next call it reads waits for one to be answered, and it reads no further request (a cancel included)
    /// meanwhile; a client that keeps at most this many calls unanswered (as <see cref="RemoteCallStream"/> does) is
    /// never held up, and its cancels always get through.
    /// </summary>
    public const int MaxCallsInFlight = 64;
}
