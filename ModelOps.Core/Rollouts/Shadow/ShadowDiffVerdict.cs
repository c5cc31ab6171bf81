using ModelOps.Core.Divergence;

namespace ModelOps.Core.Rollouts.Shadow;

/// <summary>Whether a shadow rollout may move to canary on its divergence; <see cref="Worst"/> is the segment that decided, if any.</summary>
public sealed record ShadowDiffVerdict(bool Allowed, SegmentDivergence? Worst, string Reason);
