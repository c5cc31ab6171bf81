using System.ComponentModel.DataAnnotations;

namespace ModelOps.Web.Rollouts;

/// <summary>The <c>ModelOps:Gates</c> section: how often Quartz judges every progressing rollout.</summary>
public sealed class GatesOptions
{
    public const string Section = "ModelOps:Gates";

    [Range(1, 3_600)]
    public int IntervalSeconds { get; set; } = 2;
}
