using System.ComponentModel.DataAnnotations;

namespace ModelOps.Core.Rollouts.Stability;

/// <summary>
/// The <c>ModelOps:Rollouts:ChronicFailure</c> section: a model rolled back at least
/// <see cref="Rollbacks"/> times within <see cref="PeriodHours"/> is flagged chronically failing.
/// </summary>
public sealed class ChronicFailureOptions
{
    public const string Section = "ModelOps:Rollouts:ChronicFailure";

    /// <summary>Rollbacks within the period that flag the model; one rollback is bad luck, so at least two.</summary>
    [Range(2, 1_000)]
    public int Rollbacks { get; set; } = 3;

    /// <summary>The look-back window, in hours (up to a year).</summary>
    [Range(1, 8_760)]
    public int PeriodHours { get; set; } = 24;
}
