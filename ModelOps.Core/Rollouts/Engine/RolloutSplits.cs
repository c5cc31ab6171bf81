using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// The traffic split each rollout state asks for, pure. A canary step without regions sets the
/// default weight; a step naming regions opens just those (region overrides), so a rollout can go
/// region by region; a later region-less step at or above a region's weight supersedes it.
/// A staged rollback's step never raises the candidate above where it stood.
/// </summary>
public static class RolloutSplits
{
    /// <summary>
    /// The step whose split the rollout's state asks for: −1 while shadowing (also when paused or
    /// awaiting approval from the shadow phase); one canary step back while a soft trigger waits
    /// on a plan that steps down (not below the first step: the candidate keeps being measured);
    /// otherwise its step.
    /// </summary>
    public static int EffectiveStep(RolloutPlan plan, Rollout rollout)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(rollout);
        var paused = rollout.State is RolloutStates.Paused or RolloutStates.AwaitingApproval;
        if (rollout.State == RolloutStates.Shadowing || (paused && rollout.ResumeState == RolloutStates.Shadowing))
        {
            return -1;
        }

        return rollout.State == RolloutStates.AwaitingApproval && plan.SoftTriggerStepsDown ? Math.Max(0, rollout.StepIndex - 1) : rollout.StepIndex;
    }

    /// <summary>The candidate's live weight at <paramref name="stepIndex"/> (default routing).</summary>
    public static double CandidateWeight(RolloutPlan plan, int stepIndex) =>
        stepIndex < 0 ? 0 : Step(plan, stepIndex).Weights!.Where(w => w.Version == plan.CandidateVersion).Sum(w => w.Percent);

    /// <summary>
    /// The candidate's weight in each region at <paramref name="stepIndex"/>: the region's own
    /// override where a step opened it, else the default weight. Null when the split is the same
    /// everywhere (no region opened on its own), so pooling every region's traffic is fair.
    /// </summary>
    public static IReadOnlyDictionary<string, double>? RegionWeights(RolloutPlan plan, int stepIndex)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var step = stepIndex < 0 ? null : Step(plan, stepIndex);
        return step?.Regions?.ToDictionary(
            r => r.Key, r => r.Value.Where(w => w.Version == plan.CandidateVersion).Sum(w => w.Percent), StringComparer.Ordinal);
    }

    /// <summary>Whether any step of <paramref name="plan"/> opens regions on their own (its guardrails are then judged per region too).</summary>
    public static bool IsRegional(RolloutPlan plan) => plan?.Steps.Any(s => s.Regions.Count > 0) == true;

    /// <summary>A step's split; <paramref name="stepIndex"/> −1 is the shadow phase (mirror only).</summary>
    public static RoutingChange Step(RolloutPlan plan, int stepIndex, long? expectedGeneration = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (stepIndex < 0)
        {
            return new RoutingChange(
                [new RouteWeight(plan.RollbackTarget, 100)], null, new ShadowMirror(plan.CandidateVersion, plan.ShadowShare),
                plan.RollbackTarget, plan.CandidateVersion, $"rollout of v{plan.CandidateVersion}: shadowing {plan.ShadowShare:P0} of requests", expectedGeneration);
        }

        var regions = new Dictionary<string, double>(StringComparer.Ordinal);
        var weight = 0.0;
        for (var i = 0; i <= Math.Min(stepIndex, plan.Steps.Count - 1); i++)
        {
            var step = plan.Steps[i];
            if (step.Regions.Count == 0)
            {
                weight = step.Weight;
                foreach (var region in regions.Where(r => r.Value <= weight).Select(r => r.Key).ToList())
                {
                    regions.Remove(region);
                }
            }
            else
            {
                foreach (var region in step.Regions)
                {
                    regions[region] = step.Weight;
                }
            }
        }

        var overrides = regions.Count == 0 ? null : regions.ToDictionary(r => r.Key, r => Split(plan, r.Value), StringComparer.Ordinal);
        var opened = regions.Count == 0 ? string.Empty : $" (regions {string.Join(", ", regions.Keys.Order(StringComparer.Ordinal))} opened)";
        return new RoutingChange(Split(plan, weight), overrides, null, plan.RollbackTarget, plan.CandidateVersion,
            $"rollout of v{plan.CandidateVersion}: step {stepIndex + 1} of {plan.Steps.Count}{opened}", expectedGeneration);
    }

    /// <summary>A staged rollback's hold: the candidate at the step's weight, or lower if it already was.</summary>
    public static RoutingChange RollbackStep(RolloutPlan plan, int rollbackIndex, double liveCandidateWeight, long? expectedGeneration = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var weight = Math.Min(plan.RollbackSteps[rollbackIndex].Weight, liveCandidateWeight);
        return new RoutingChange(Split(plan, weight), null, null, plan.RollbackTarget, plan.CandidateVersion,
            $"staged rollback of v{plan.CandidateVersion}: hold {rollbackIndex + 1} of {plan.RollbackSteps.Count} at {weight}%", expectedGeneration);
    }

    /// <summary>The first staged-rollback step that lowers the candidate below <paramref name="liveCandidateWeight"/>.</summary>
    public static int FirstRollbackStep(RolloutPlan plan, double liveCandidateWeight)
    {
        ArgumentNullException.ThrowIfNull(plan);
        for (var i = 0; i < plan.RollbackSteps.Count; i++)
        {
            if (plan.RollbackSteps[i].Weight < liveCandidateWeight)
            {
                return i;
            }
        }

        return plan.RollbackSteps.Count - 1;
    }

    /// <summary>The candidate's weight in <paramref name="live"/>'s default routing (0 when absent).</summary>
    public static double LiveCandidateWeight(RoutingTable? live, int candidate) =>
        live?.DefaultWeights.Where(w => w.Version == candidate).Sum(w => w.Percent) ?? 0;

    private static IReadOnlyList<RouteWeight> Split(RolloutPlan plan, double weight) => weight >= 100
        ? [new RouteWeight(plan.RollbackTarget, 0), new RouteWeight(plan.CandidateVersion, 100)]
        : [new RouteWeight(plan.RollbackTarget, 100 - weight), new RouteWeight(plan.CandidateVersion, weight)];
}
