using System.ComponentModel.DataAnnotations;

namespace ModelOps.Web.Rollouts;

/// <summary>The <c>ModelOps:Gates</c> section: how often Quartz judges every progressing rollout, and when a failed swap is repaired.</summary>
public sealed class GatesOptions
{
    public const string Section = "ModelOps:Gates";

    [Range(1, 3_600)]
    public int IntervalSeconds { get; set; } = 2;

    /// <summary>
    /// How long after a rollout's last decision its traffic may stay where the decision did not put
    /// it (its swap failed) before the sweep carries the swap out. Longer than a swap takes under
    /// load (the candidate is warmed first), so a swap still in flight is not done twice.
    /// </summary>
    [Range(1, 3_600)]
    public int RepairAfterSeconds { get; set; } = 10;
}
