using System.ComponentModel.DataAnnotations;

namespace ModelOps.Inference.Serving.Sessions;

/// <summary>Section <c>ModelOps:Inference:Sessions</c>.</summary>
public sealed class SessionPoolOptions
{
    public const string Section = "ModelOps:Inference:Sessions";

    /// <summary>How long a version no longer routable stays warm (a quick revert needs no reload).</summary>
    [Range(0, 86_400)]
    public int RetireGraceSeconds { get; set; } = 60;

    [Range(1, 3_600)]
    public int HealthCheckSeconds { get; set; } = 15;
}
