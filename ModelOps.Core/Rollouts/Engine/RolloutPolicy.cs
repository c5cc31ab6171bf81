using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>What the engine does after a look at a rollout.</summary>
public abstract record RolloutAction
{
    public sealed record None : RolloutAction;

    public sealed record Rollback(RollbackTrigger Trigger) : RolloutAction;

    public sealed record RaiseApproval(ApprovalRequest Request) : RolloutAction;

    public sealed record Advance(int FromStep) : RolloutAction;

    public sealed record StepDown(int FromHold) : RolloutAction;
}

/// <summary>
/// The engine's decision after each look, pure: the rollout as stored, its plan, the judge's
/// latest verdicts (in plan order), its approvals and the time. In order:
/// a hard guardrail failing for its sustain time rolls back, in any active state;
/// a staged rollback's hold that has passed steps down;
/// on a rollout moving forward (progressing or shadowing) a sustained soft failure not yet
/// acknowledged for this step raises an approval; a guardrail still undecided (short of data, or
/// marginal) when the plan's progress deadline passes raises one too, with what it still needs; a
/// step that has baked with every guardrail passing (a segmented KPI also with no segment marginal) advances.
/// A plan that opens regions on their own is judged per region as well: while the split differs
/// between regions, each open region's verdicts decide and the pooled ones are shown only (pooled,
/// the candidate's mix of regions is not the baseline's); where the split is the same everywhere
/// both decide.
/// </summary>
public static class RolloutPolicy
{
    public static RolloutAction Next(
        Rollout rollout, RolloutPlan plan, IReadOnlyList<VerdictRecord> verdicts, IReadOnlyList<RolloutApproval> approvals, DateTimeOffset now,
        IReadOnlyList<RegionJudgement>? regions = null)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(approvals);
        var judged = Judged(rollout, plan, verdicts, regions);
        var hard = judged.FirstOrDefault(g => g.Spec.Severity == GuardrailSeverity.Hard && g.Verdict.Sustained);
        if (hard.Verdict is { } tripped && RolloutStates.IsActive(rollout.State))
        {
            var evidence = hard.Region is null ? verdicts : regions!.First(r => r.Region == hard.Region).Verdicts;
            return new RolloutAction.Rollback(new RollbackTrigger(RollbackTrigger.Kinds.Hard, RolloutEvaluator.Actor,
                $"automatic: {tripped.Metric.ToWire()}{In(hard.Region)} failed for {hard.Spec.SustainSeconds} s — {tripped.Reason}", evidence, tripped.BreachedSince));
        }

        if (rollout.State == RolloutStates.RollingBack)
        {
            return rollout.RollbackStepIndex is { } hold && Elapsed(rollout, now).TotalSeconds >= plan.RollbackSteps[hold].HoldSeconds
                ? new RolloutAction.StepDown(hold)
                : new RolloutAction.None();
        }

        if (rollout.State is not (RolloutStates.Progressing or RolloutStates.Shadowing))
        {
            return new RolloutAction.None();
        }

        var acknowledged = Acknowledged(rollout, approvals);
        var soft = judged.FirstOrDefault(g => g.Spec.Severity == GuardrailSeverity.Soft && g.Verdict.Sustained && !acknowledged.Contains(g.Index));
        if (soft.Verdict is { } breach)
        {
            var evidence = new GuardrailEvidence(soft.Index, breach.Metric.ToWire(), rollout.StepIndex, breach);
            return new RolloutAction.RaiseApproval(new ApprovalRequest(ApprovalKinds.Guardrail, RolloutEvaluator.Actor,
                $"soft guardrail {breach.Metric.ToWire()}{In(soft.Region)} failed for {soft.Spec.SustainSeconds} s — {breach.Reason}", evidence));
        }

        var judgeable = judged.Where(g => !acknowledged.Contains(g.Index) && Judgeable(g.Spec, rollout.State, rollout.State == RolloutStates.Progressing && g.Weight >= 100)).ToList();
        // Undecided: short of data, or a point estimate beyond the bound that its interval does
        // not yet confirm. Either holds the step back; neither may do so silently for ever.
        var undecided = judgeable.Where(g => Holds(g.Spec, g.Verdict)).ToList();
        if (undecided.Count > 0 && now - DeadlineStart(rollout, approvals) >= TimeSpan.FromSeconds(plan.ProgressDeadlineSeconds))
        {
            var shortfalls = undecided.Select(g => new DataShortfall(g.Verdict.Metric.ToWire(), g.Verdict.Samples, g.Verdict.SamplesNeeded, g.Verdict.EtaSeconds, g.Verdict.Reason)).ToList();
            var needs = string.Join("; ", undecided.Zip(shortfalls).Select(p => $"{p.Second.Metric}{In(p.First.Region)} {Describe(p.First.Verdict)}: {Needs(p.Second)}"));
            return new RolloutAction.RaiseApproval(new ApprovalRequest(ApprovalKinds.ProgressDeadline, RolloutEvaluator.Actor,
                $"progress deadline of {plan.ProgressDeadlineSeconds} s passed with guardrails still undecided — {needs}. Continue to wait, or revert.", shortfalls));
        }

        var baked = rollout.State == RolloutStates.Progressing && plan.Steps.Count > 0
            && Elapsed(rollout, now).TotalSeconds >= plan.Steps[Math.Min(rollout.StepIndex, plan.Steps.Count - 1)].BakeSeconds;
        return baked && judged.Count > 0 && undecided.Count == 0 && judgeable.All(g => g.Verdict.Status != VerdictStatus.Fail)
            ? new RolloutAction.Advance(rollout.StepIndex)
            : new RolloutAction.None();
    }

    /// <summary>The verdicts that decide where the rollout stands, each with its guardrail, plan index, region (null = pooled) and the candidate's weight they were judged at.</summary>
    private static List<(GuardrailSpec Spec, VerdictRecord Verdict, int Index, string? Region, double Weight)> Judged(
        Rollout rollout, RolloutPlan plan, IReadOnlyList<VerdictRecord> verdicts, IReadOnlyList<RegionJudgement>? regions)
    {
        var count = plan.Guardrails.Count;
        var step = RolloutSplits.EffectiveStep(plan, rollout); // −1 while shadowing: no region split then
        var split = rollout.State == RolloutStates.RollingBack ? null : RolloutSplits.RegionWeights(plan, step);
        var judged = new List<(GuardrailSpec Spec, VerdictRecord Verdict, int Index, string? Region, double Weight)>();
        if (split is null && verdicts.Count == count)
        {
            var weight = RolloutSplits.CandidateWeight(plan, step);
            judged.AddRange(plan.Guardrails.Zip(verdicts).Select((p, i) => (p.First, p.Second, i, (string?)null, weight)));
        }

        if (step < 0 || rollout.State == RolloutStates.RollingBack)
        {
            return judged; // regions are judged only on canary steps
        }

        foreach (var region in regions ?? [])
        {
            if (region.CandidateWeight > 0 && region.Verdicts.Count == count)
            {
                judged.AddRange(plan.Guardrails.Zip(region.Verdicts).Select((p, i) => (p.First, p.Second, i, (string?)region.Region, region.CandidateWeight)));
            }
        }

        return judged;
    }

    private static string In(string? region) => region is null ? string.Empty : $" in region {region}";

    /// <summary>
    /// Whether a verdict holds the step back: anything but pass — except sample-ratio mismatch,
    /// a sanity check whose "marginal" band (half the mismatch of interest) is far inside its
    /// binomial noise at small weights; only its failure (which rolls back) counts.
    /// </summary>
    private static bool Holds(GuardrailSpec spec, VerdictRecord verdict) =>
        spec.Metric == GuardrailMetric.Srm ? verdict.Status == VerdictStatus.InsufficientData
            : (verdict.Status != VerdictStatus.Pass && verdict.Status != VerdictStatus.Fail) || MarginalSegment(verdict) is not null;

    /// <summary>
    /// A segmented KPI whose pooled test passes still holds the step while one of its segments is
    /// marginal: that part of the traffic (e.g. the night) looks worse than allowed and is not yet
    /// confirmed, and promoting to 100 % would end the comparison before it can be.
    /// </summary>
    private static string? MarginalSegment(VerdictRecord verdict) =>
        verdict.Status == VerdictStatus.Pass ? verdict.Segments?.Segments.FirstOrDefault(s => s.Status == VerdictStatus.Marginal)?.Segment : null;

    private static string Describe(VerdictRecord verdict) => MarginalSegment(verdict) is { } segment
        ? $"marginal in segment {segment} (beyond the bound there, not yet significant)"
        : verdict.Status == VerdictStatus.Marginal ? "marginal (beyond the bound, not yet significant)" : "short of data";

    /// <summary>
    /// Guardrails that can reach a verdict where the rollout stands: with no baseline alongside
    /// (a 100 % step) only limits and offline comparisons can; sample-ratio mismatch has no
    /// ratio to check while shadowing (the mirror share is not a routing weight).
    /// </summary>
    private static bool Judgeable(GuardrailSpec spec, string state, bool full) =>
        !(state == RolloutStates.Shadowing && spec.Metric == GuardrailMetric.Srm)
        && !(full && spec.Limit is null && spec.Metric != GuardrailMetric.Offline);

    /// <summary>Guardrails an approver let continue on this step.</summary>
    private static HashSet<int> Acknowledged(Rollout rollout, IReadOnlyList<RolloutApproval> approvals) =>
    [
        .. approvals.Where(a => a.Kind == ApprovalKinds.Guardrail && a.Status == ApprovalStatuses.Continued)
            .Select(a => GuardrailEvidence.Read(a.EvidenceJson))
            .Where(e => e is not null && e.Step == rollout.StepIndex)
            .Select(e => e!.Guardrail),
    ];

    /// <summary>The progress deadline counts from the step's start, or from the last time someone chose to keep waiting.</summary>
    private static DateTimeOffset DeadlineStart(Rollout rollout, IReadOnlyList<RolloutApproval> approvals)
    {
        var start = rollout.StepStartedAt ?? rollout.StartedAt;
        foreach (var approval in approvals.Where(a => a.Kind == ApprovalKinds.ProgressDeadline))
        {
            var at = approval.DecidedAt ?? approval.RaisedAt;
            start = at > start ? at : start;
        }

        return start;
    }

    private static string Needs(DataShortfall s) => s.SamplesNeeded is { } needed
        ? $"{s.Samples.Baseline}/{needed.Baseline} baseline and {s.Samples.Candidate}/{needed.Candidate} candidate samples{(s.EtaSeconds is { } eta ? $", about {eta:0} s more at the current rate" : ", no estimate at the current rate")}"
        : $"{s.Samples.Baseline} baseline and {s.Samples.Candidate} candidate samples so far";

    private static TimeSpan Elapsed(Rollout rollout, DateTimeOffset now) => now - (rollout.StepStartedAt ?? rollout.StartedAt);
}
