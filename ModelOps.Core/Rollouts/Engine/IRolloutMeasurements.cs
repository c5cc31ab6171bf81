using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>What one arm of a version served in [from, to), as the judge reads it (implemented over the serving metrics store).</summary>
public interface IRolloutMeasurements
{
    /// <summary>Every region's requests together, or only <paramref name="region"/>'s (kept once <see cref="TrackRegions"/> was asked).</summary>
    ArmMeasurements Measure(string model, int version, Arm arm, DateTimeOffset from, DateTimeOffset to, string? region = null);

    /// <summary>Starts keeping per-region measurements of <paramref name="model"/> (idempotent; a rollout judged per region asks at every look).</summary>
    void TrackRegions(string model);

    /// <summary>The regions <paramref name="model"/>'s per-region measurements have seen within the store's horizon.</summary>
    IReadOnlyList<string> Regions(string model);

    /// <summary>
    /// Starts keeping KPI outcomes of <paramref name="model"/> per segment of <paramref name="dimension"/>
    /// (<c>hourOfDay</c> or <c>feature.&lt;name&gt;</c>; idempotent), returned in <see cref="ArmMeasurements.KpiBySegment"/>
    /// of pooled measurements from then on. A segmented KPI guardrail asks at every look.
    /// </summary>
    void TrackSegments(string model, string dimension)
    {
    }

    /// <summary>
    /// <paramref name="to"/>, or the end of the seconds whose measurements are all in when that is earlier
    /// (several replicas publish theirs a moment after each second; see <c>ReplicaWatermarks</c>).
    /// A look reads up to this and starts its next look there, so no second is judged half-counted or skipped.
    /// </summary>
    DateTimeOffset JudgeableBefore(DateTimeOffset to) => to;

    /// <summary>The split serving <paramref name="model"/> in this process now and since when; null when unknown.</summary>
    LiveSplit? Live(string model) => null;
}
