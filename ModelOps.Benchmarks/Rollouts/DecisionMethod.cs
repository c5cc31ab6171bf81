namespace ModelOps.Benchmarks.Rollouts;

/// <summary>The methods compared side by side on the same streams.</summary>
public enum DecisionMethod
{
    Naive,
    Argo,
    Kayenta,
    Judge,
    Template,

    /// <summary>The full plan with its KPI guardrail judged per segment (<see cref="DecisionPlans.Segmented"/>).</summary>
    Segmented,
}
