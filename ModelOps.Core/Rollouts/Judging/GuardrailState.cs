using System.Collections.Immutable;

namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// Everything one guardrail remembers since the rollout began: per-step strata, the candidate's
/// pooled tally for limits (an absolute bound needs no baseline, so no stratification), the
/// cumulative histograms PSI compares, the running minima of the always-valid p-values, the
/// number of looks that carried data, a segmented KPI's per-segment strata, and since when the guardrail has been failing.
/// Cumulative by design: a sequential test is valid only on data gathered since it started.
/// </summary>
public sealed record GuardrailState(
    DateTimeOffset? StartedAt,
    ImmutableArray<Stratum> Strata,
    ArmTally LimitTally,
    ImmutableArray<long> BaselineBins,
    ImmutableArray<long> CandidateBins,
    double ThresholdPValue,
    double LimitPValue,
    int Looks,
    DateTimeOffset? BreachedSince)
{
    public static GuardrailState Initial { get; } = new(null, [], default, [], [], 1, 1, 0, null);

    /// <summary>
    /// A segmented KPI guardrail's per-segment tests (<see cref="GuardrailSpec.SegmentBy"/>), in the
    /// order the segments were first seen; empty otherwise (and in states stored before segments existed).
    /// </summary>
    public ImmutableArray<SegmentState> Segments { get; init; } = [];
}
