using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// Whether a model's live routing table is where its rollout's stored state puts it — pure. A
/// decision commits first and its swap follows, so the two disagree while a swap is in flight, and
/// for good when the swap failed (the process died, or the routing write was refused):
/// <see cref="RolloutRecovery"/> carries the decision out when they disagree.
/// </summary>
public static class RolloutTraffic
{
    /// <summary>True when <paramref name="live"/> routes as <paramref name="rollout"/>'s state asks (an aborted rollout asks nothing).</summary>
    public static bool InPlace(Rollout rollout, RolloutPlan plan, RoutingTable live)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(live);
        var candidate = rollout.CandidateVersion;
        switch (rollout.State)
        {
            case RolloutStates.RolledBack:
                return !live.RoutableVersions.Contains(candidate) && live.Shadow?.Version != candidate;
            case RolloutStates.RollingBack when rollout.RollbackStepIndex is { } hold && hold < plan.RollbackSteps.Count:
                // A hold never raises the candidate: at or below the hold's weight is in place.
                return RolloutSplits.LiveCandidateWeight(live, candidate) <= plan.RollbackSteps[hold].Weight + RoutingTable.WeightTolerance;
            case RolloutStates.Promoted:
                // What a promotion leaves: the candidate alone, no longer named a rollout's candidate.
                return live is { RoutableVersions: [var only], CandidateVersion: null } && only == candidate;
            case RolloutStates.Progressing or RolloutStates.Shadowing or RolloutStates.Paused or RolloutStates.AwaitingApproval:
                return Matches(live, RolloutService.Split(plan, rollout), candidate);
            default:
                return true;
        }
    }

    /// <summary>Whether <paramref name="live"/> carries <paramref name="wanted"/>'s candidate weight, mirror and region overrides.</summary>
    public static bool Matches(RoutingTable live, RoutingChange wanted, int candidate)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(wanted);
        var liveWeight = RolloutSplits.LiveCandidateWeight(live, candidate);
        var wantedWeight = wanted.Weights?.Where(w => w.Version == candidate).Sum(w => w.Percent) ?? 0;
        return Math.Abs(liveWeight - wantedWeight) < RoutingTable.WeightTolerance
            && live.Shadow?.Version == wanted.Shadow?.Version
            && live.RegionOverrides.Count == (wanted.Regions?.Count ?? 0);
    }
}
