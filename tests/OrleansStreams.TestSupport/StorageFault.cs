namespace OrleansStreams.TestSupport;

/// <summary>What <see cref="FaultInjectingProxy"/> does to one request instead of forwarding it plainly.</summary>
public enum StorageFault
{
    /// <summary>503 with Azure's <c>ServerBusy</c> error, the request not forwarded.</summary>
    ServerBusy,

    /// <summary>429 with Azure's <c>ServerBusy</c> error body, the request not forwarded.</summary>
    TooManyRequests,

    /// <summary>The connection is dropped before the request is forwarded: nothing happened.</summary>
    ResetBeforeForwarding,

    /// <summary>The request is forwarded and done, then the connection is dropped: the response is lost.</summary>
    ResetAfterForwarding,

    /// <summary>The request is held for a while, then forwarded.</summary>
    Delay,
}
