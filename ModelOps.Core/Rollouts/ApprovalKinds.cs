namespace ModelOps.Core.Rollouts;

/// <summary>What raised a <see cref="RolloutApproval"/> (its <see cref="RolloutApproval.Kind"/>), as stored and shown.</summary>
public static class ApprovalKinds
{
    /// <summary>A soft guardrail failed for its sustain time.</summary>
    public const string Guardrail = "guardrail";

    /// <summary>A guardrail was still undecided when the plan's progress deadline passed.</summary>
    public const string ProgressDeadline = "progressDeadline";

    /// <summary>A reviewer flagged logged predictions of the candidate as systematically wrong.</summary>
    public const string SpotCheck = "spotCheck";

    /// <summary>The candidate's training dataset was flagged as corrupted.</summary>
    public const string DatasetFlag = "datasetFlag";

    /// <summary>The long-horizon KPI trend drifts negative.</summary>
    public const string KpiTrend = "kpiTrend";
}
