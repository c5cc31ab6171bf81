using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// The split serving one model in this process now, and since when (the moment its routing table
/// was published here). What <see cref="StepWindow"/> checks a step's measurements against.
/// </summary>
/// <param name="CandidateVersion">The table's candidate, if it names one.</param>
/// <param name="CandidatePercent">The candidate's default (region-less) weight, 0–100.</param>
/// <param name="ShadowVersion">The version mirrored to, if any.</param>
public sealed record LiveSplit(long Generation, int? CandidateVersion, double CandidatePercent, int? ShadowVersion, DateTimeOffset Since)
{
    /// <summary>The split of <paramref name="table"/>, live since <paramref name="since"/>.</summary>
    public static LiveSplit Of(RoutingTable table, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(table);
        var percent = table.CandidateVersion is { } candidate ? table.DefaultWeights.Where(w => w.Version == candidate).Sum(w => w.Percent) : 0;
        return new LiveSplit(table.Generation, table.CandidateVersion, percent, table.Shadow?.Version, since);
    }
}

/// <summary>
/// Where a look's measurements of a step begin — pure. A step's stratum is judged at the step's
/// weight, so it may only hold seconds served wholly under the step's split: never a second that
/// began before the step was decided, nor one before its routing table went live here (the swap
/// warms the candidate first and under load takes seconds; the baseline-only traffic of those
/// seconds, counted at a 50 % weight, is a false sample-ratio mismatch within seconds at 100
/// requests/s). While the live table does not yet carry the step's split, the look waits; after
/// <see cref="Grace"/> it judges what was served anyway, because a split that never arrives is a
/// routing fault, which the sample-ratio guardrail exists to catch, and a rollout must not stall
/// silently.
/// </summary>
public static class StepWindow
{
    /// <summary>How long a look waits for the step's split to go live before judging what was served.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private const double PercentTolerance = 1e-6;

    /// <summary>The first second to measure, or null to wait (nothing measured, nothing stored).</summary>
    /// <param name="stepStarted">When the step (or the rollback hold) was decided.</param>
    /// <param name="lastLook">The end of the previous look's seconds, if any (exclusive).</param>
    /// <param name="live">This process's live split of the model; null when unknown (then only the decision bounds it).</param>
    /// <param name="candidateVersion">The rollout's candidate.</param>
    /// <param name="candidatePercent">The candidate's default weight the step asks for, 0–100 (0 while shadowing).</param>
    /// <param name="shadowing">Whether the step mirrors to the candidate instead of routing to it.</param>
    public static DateTimeOffset? MeasureFrom(
        DateTimeOffset stepStarted, DateTimeOffset? lastLook, LiveSplit? live, int candidateVersion, double candidatePercent, bool shadowing, DateTimeOffset now)
    {
        var from = NextWholeSecond(stepStarted);
        if (lastLook is { } looked && looked > from)
        {
            from = looked;
        }

        if (live is null)
        {
            return from;
        }

        if (Carries(live, candidateVersion, candidatePercent, shadowing))
        {
            var liveFrom = NextWholeSecond(live.Since);
            return liveFrom > from ? liveFrom : from;
        }

        return now - stepStarted < Grace ? null : from;
    }

    /// <summary>Whether <paramref name="live"/> is the split the step asks for.</summary>
    public static bool Carries(LiveSplit live, int candidateVersion, double candidatePercent, bool shadowing)
    {
        ArgumentNullException.ThrowIfNull(live);
        if (shadowing)
        {
            return live.ShadowVersion == candidateVersion && live.CandidatePercent <= PercentTolerance;
        }

        var percent = live.CandidateVersion == candidateVersion ? live.CandidatePercent : 0;
        return Math.Abs(percent - candidatePercent) <= PercentTolerance;
    }

    /// <summary><paramref name="t"/> when it is a whole second, else the next whole second.</summary>
    public static DateTimeOffset NextWholeSecond(DateTimeOffset t)
    {
        var rest = t.UtcTicks % TimeSpan.TicksPerSecond;
        return rest == 0 ? t.ToUniversalTime() : new DateTimeOffset(t.UtcTicks - rest + TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }
}
