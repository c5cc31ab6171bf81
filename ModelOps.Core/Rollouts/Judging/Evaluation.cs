namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// One look at a rollout: the measurements of both arms since the previous look, the routing
/// step they were served under (its index and the candidate's weight, 0–1), and now. A null
/// <see cref="Baseline"/> means no baseline runs alongside in this phase: only limits are judged.
/// </summary>
public sealed record Evaluation(
    DateTimeOffset Now,
    int Step,
    double CandidateWeight,
    ArmMeasurements? Baseline,
    ArmMeasurements Candidate,
    RolloutReferences References);
