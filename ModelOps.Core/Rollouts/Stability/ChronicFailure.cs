namespace ModelOps.Core.Rollouts.Stability;

/// <summary>
/// A model that keeps being rolled back: <see cref="Rollbacks"/> rollbacks decided within the last
/// <see cref="PeriodHours"/>, the earliest of them at <see cref="Since"/>. <see cref="Advice"/> names
/// the alternative to yet another full rollout.
/// </summary>
public sealed record ChronicFailure(int Rollbacks, int PeriodHours, DateTimeOffset Since, string Advice)
{
    /// <summary>
    /// The rule, pure: flagged when <paramref name="rollbacks"/> (decided since now − period) reach the
    /// configured count; null otherwise.
    /// </summary>
    public static ChronicFailure? Assess(string model, int rollbacks, DateTimeOffset? earliest, ChronicFailureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (rollbacks < options.Rollbacks || earliest is not { } since)
        {
            return null;
        }

        var advice = $"'{model}' was rolled back {rollbacks} times in {options.PeriodHours} h; another full rollout is likely to fail the same way. " +
            "Roll forward instead: ship the fix as a configuration change or behind a feature toggle on the version serving now, " +
            "verify it there, and only then plan the next rollout.";
        return new ChronicFailure(rollbacks, options.PeriodHours, since, advice);
    }
}
