using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// A plan's guardrails run through the real <see cref="GuardrailJudge"/> look after look, keeping
/// each guardrail's state as the engine would, and recording the first failing verdict on the
/// row's guardrail and the first sustained failure of a hard guardrail (the rollback).
/// </summary>
internal sealed class JudgedPlan(IReadOnlyList<GuardrailSpec> plan, GuardrailMetric? target)
{
    private readonly GuardrailState[] _states = [.. plan.Select(_ => GuardrailState.Initial)];

    public MethodTracker Tracker { get; } = new(target is { } t && plan.Any(g => g.Metric == t));

    public GuardrailMetric? RolledBackBy { get; private set; }

    public bool TargetSustained { get; private set; }

    public void Look(Evaluation evaluation, int second)
    {
        for (var i = 0; i < plan.Count; i++)
        {
            var spec = plan[i];
            var judgement = GuardrailJudge.Evaluate(spec, evaluation, _states[i]);
            _states[i] = judgement.State;
            var verdict = judgement.Verdict;
            if (spec.Metric == target && verdict.Status == VerdictStatus.Fail)
            {
                Tracker.Fail(second);
            }

            if (verdict.Sustained && spec.Severity == GuardrailSeverity.Hard)
            {
                if (Tracker.Rollback is null)
                {
                    RolledBackBy = spec.Metric;
                }

                Tracker.RollBack(second);
                TargetSustained |= spec.Metric == target;
            }
        }
    }
}
