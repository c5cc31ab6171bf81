namespace ModelOps.Core.Serving.Metrics;

/// <summary>The lowercase wire and storage names of <see cref="RequestStatus"/> (inference log, metric labels).</summary>
public static class RequestStatusNames
{
    public const string Ok = "ok";

    public const string Fallback = "fallback";

    public static string ToWire(this RequestStatus status) => status switch
    {
        RequestStatus.Ok => Ok,
        RequestStatus.Error => "error",
        RequestStatus.Fallback => Fallback,
        _ => "timeout",
    };
}
