namespace ModelOps.Benchmarks.Rollouts;

/// <summary>Records the first failing verdict on the row's guardrail and the first rollback of one method (mutable, one per method per rollout).</summary>
internal sealed class MethodTracker(bool hasTarget)
{
    public double? FirstFail { get; private set; }

    public double? Rollback { get; private set; }

    public bool Done => Rollback is not null && (!hasTarget || FirstFail is not null);

    public void Fail(double second) => FirstFail ??= second;

    public void RollBack(double second) => Rollback ??= second;

    public MethodResult Result => new(FirstFail, Rollback);
}
