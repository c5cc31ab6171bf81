using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// One row of the benchmark: a candidate shift at a canary weight, simulated <see cref="Rollouts"/>
/// times for up to <see cref="HorizonSeconds"/>. <see cref="Target"/> is the guardrail the row is
/// about (its first failing verdict is timed); null for A/A. Boundary rows run the judge alone, on
/// the target guardrail only (the rule under test is per guardrail).
/// </summary>
public sealed record Scenario(
    string Name,
    RowKind Kind,
    double CanaryWeight,
    CandidateShift Shift,
    GuardrailMetric? Target,
    int Rollouts,
    int HorizonSeconds);
