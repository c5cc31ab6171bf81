namespace ModelOps.Core.Incidents.Verification;

/// <summary>
/// The post-rollback verification's answer, stored on the incident (<c>VerificationJson</c>):
/// <c>recovered</c> only when every check passed; any failed check, or too little data to check,
/// is <c>notRecovered</c>, which escalates.
/// </summary>
public sealed record VerificationResult(
    string Status,
    string Reason,
    string Basis,
    DateTimeOffset WindowFrom,
    DateTimeOffset WindowTo,
    IReadOnlyList<VerificationCheck> Checks)
{
    public bool Escalated => Status == IncidentStates.NotRecovered;
}
