namespace ModelOps.Core.Incidents;

public static class IncidentStates
{
    public const string Open = "open";
    public const string Closed = "closed";

    public const string VerificationPending = "pending";
    public const string Recovered = "recovered";
    public const string NotRecovered = "notRecovered";
}
