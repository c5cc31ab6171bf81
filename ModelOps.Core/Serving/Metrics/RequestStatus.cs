namespace ModelOps.Core.Serving.Metrics;

public enum RequestStatus
{
    Ok,
    Error,
    Timeout,
}
