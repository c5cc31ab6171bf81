namespace ModelOps.Core.Incidents.Verification;

public enum CheckOutcome
{
    Pass,
    Fail,

    /// <summary>Too little traffic on the target (or behind the baseline) to say.</summary>
    InsufficientData,
}
