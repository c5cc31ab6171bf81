using System.ComponentModel.DataAnnotations;

namespace ModelOps.Core.Rollouts.Shadow;

/// <summary>Section <c>ModelOps:Rollouts:ShadowDiff</c>: how a shadow rollout's divergence report is read and judged.</summary>
public sealed class ShadowDiffOptions
{
    public const string Section = "ModelOps:Rollouts:ShadowDiff";

    /// <summary>A segment with fewer mirrored pairs is shown but never holds back <c>advance</c> (too noisy to judge).</summary>
    [Range(1, 1_000_000)]
    public int MinSamples { get; set; } = 30;

    /// <summary>The newest mirrored pairs one report reads at most, bounding the cost of a read.</summary>
    [Range(1, 1_000_000)]
    public int MaxPairs { get; set; } = 20_000;

    /// <summary>The evaluator recomputes a shadow rollout's stored report at most this often; reads serve the stored one.</summary>
    [Range(1, 86_400)]
    public int RefreshSeconds { get; set; } = 30;
}
