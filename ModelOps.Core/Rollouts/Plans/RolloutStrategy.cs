namespace ModelOps.Core.Rollouts.Plans;

public enum RolloutStrategy
{
    /// <summary>Weighted steps of live traffic to the candidate, each baked and judged.</summary>
    Canary,

    /// <summary>All traffic flips to the candidate at once; judged on limits after the flip.</summary>
    BlueGreen,

    /// <summary>The candidate sees mirrored copies only (answers never returned) until advanced into canary steps.</summary>
    Shadow,
}
