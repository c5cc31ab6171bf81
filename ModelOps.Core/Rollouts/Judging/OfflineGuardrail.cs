namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// offline: the candidate's registered metric (metricName, default auc) vs the rollback target's.
/// Static numbers from the registry, no sampling: no interval and no p-value, the bound decides.
/// </summary>
internal static class OfflineGuardrail
{
    public static Assessment Assess(GuardrailSpec spec, Evaluation evaluation, double? threshold, double? limit)
    {
        var name = spec.MetricName ?? "auc";
        var none = new SampleCounts(0, 0);
        if (evaluation.References.OfflineMetrics.GetValueOrDefault(name) is not { } scores)
        {
            return Assessment.Insufficient(none, () => $"Offline {name}: not registered for the candidate or the rollback target.");
        }

        var drop = scores.Target - scores.Candidate;
        var beyondThreshold = threshold is { } t ? drop - t : double.NegativeInfinity;
        var beyondLimit = limit is { } l ? l - scores.Candidate : double.NegativeInfinity;
        var excess = Math.Max(beyondThreshold, beyondLimit);
        var status = excess > 0 ? VerdictStatus.Fail : VerdictStatus.Pass;
        string reason() => $"Offline {name} is {Formats.Number(scores.Candidate)} for the candidate vs {Formats.Number(scores.Target)} for the rollback target{(threshold is { } a ? $" (allowed drop {Formats.Number(a)})" : "")}{(limit is { } b ? $" (floor {Formats.Number(b)})" : "")}: {Formats.Verdict(status)}.";
        return new Assessment(status, excess, scores.Target, scores.Candidate, scores.Candidate - scores.Target, null, null, none, null, null, reason);
    }
}
