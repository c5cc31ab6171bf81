namespace ModelOps.Core.Rollouts.Judging;

/// <summary>Finds or opens the stratum of the evaluation's routing step and replaces it with its update.</summary>
internal static class StrataUpdate
{
    public static GuardrailState Apply(GuardrailState state, Evaluation evaluation, Func<Stratum, Stratum> update)
    {
        var strata = state.Strata;
        var last = strata.Length - 1;
        if (last >= 0 && strata[last].Step == evaluation.Step)
        {
            return state with { Strata = strata.SetItem(last, update(strata[last])) };
        }

        var opened = new Stratum(evaluation.Step, evaluation.CandidateWeight, evaluation.Now, default, default, null);
        return state with { Strata = strata.Add(update(opened)) };
    }

    /// <summary>
    /// Cochran–Mantel–Haenszel weight of a stratum, n_c·n_b/(n_c + n_b): proportional to the
    /// information a difference carries, without using the noisy variance estimates themselves.
    /// </summary>
    public static double Weight(long candidate, long baseline) =>
        candidate > 0 && baseline > 0 ? (double)candidate * baseline / (candidate + baseline) : 0;
}
