using System.Collections.Immutable;

namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// One segment's own sequential test of a segmented KPI guardrail: its per-step strata (the same
/// sufficient statistics as the pooled test, restricted to the segment's outcomes) and the running
/// minimum of its always-valid p-value.
/// </summary>
public sealed record SegmentState(string Value, ImmutableArray<Stratum> Strata, double PValue);
