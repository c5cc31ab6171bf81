namespace ModelOps.Core.Serving.Routing;

/// <summary>Which side of a rollout served (or mirrored) a request; metrics are kept per arm.</summary>
public enum Arm
{
    /// <summary>The version traffic is being moved away from (or the only version).</summary>
    Baseline,

    /// <summary>The version under evaluation that answers live traffic.</summary>
    Candidate,

    /// <summary>A mirrored copy of a request whose answer is never returned to the caller.</summary>
    Shadow,
}
