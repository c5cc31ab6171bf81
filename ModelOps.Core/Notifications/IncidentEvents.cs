namespace ModelOps.Core.Notifications;

/// <summary>The incident events a webhook receives (the JSON body's <c>type</c>).</summary>
public static class IncidentEvents
{
    public const string Opened = "incident.opened";

    /// <summary>The post-rollback verification recorded a result (or any other change of it).</summary>
    public const string VerificationRecorded = "incident.verificationRecorded";

    public const string Closed = "incident.closed";

    /// <summary>Any other change of the incident's status (e.g. re-opened).</summary>
    public const string StatusChanged = "incident.statusChanged";
}
