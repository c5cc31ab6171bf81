namespace ModelOps.Core.Incidents.Replay;

public static class ReplayStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";

    public static bool IsPending(string status) => status is Queued or Running;
}
