using System.ComponentModel.DataAnnotations;

namespace ModelOps.Core.GameDays;

/// <summary>The <c>ModelOps:GameDays</c> section.</summary>
public sealed class GameDayOptions
{
    public const string Section = "ModelOps:GameDays";

    /// <summary>How long after the fault starts a drill waits for the rollback before it ends the canary itself.</summary>
    [Range(10, 86_400)]
    public int TimeoutSeconds { get; set; } = 600;

    /// <summary>How often a running drill reads its rollout.</summary>
    [Range(50, 10_000)]
    public int PollMilliseconds { get; set; } = 250;
}
