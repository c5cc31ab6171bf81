namespace ModelOps.Core.Serving.Metrics;

public enum RequestStatus
{
    Ok,
    Error,
    Timeout,

    /// <summary>
    /// The routed version could not answer (not warm, or failed its health check) and the
    /// baseline answered instead. Recorded on the routed version's arm as a failure of that
    /// version, so a failing candidate never looks clean.
    /// </summary>
    Fallback,
}
