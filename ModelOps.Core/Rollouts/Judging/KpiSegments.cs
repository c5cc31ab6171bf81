using System.Collections.Immutable;
using ModelOps.Core.Divergence;

namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// A KPI threshold judged within each segment of a key (<see cref="GuardrailSpec.SegmentBy"/>): each
/// segment runs its own mixture SPRT on its own per-step strata, exactly as the pooled test does on
/// all outcomes. α is split in advance: the pooled test keeps α/2 and each of the k segments that can
/// occur (<see cref="GuardrailSpec.SegmentCount"/>) gets α/(2k), so by Bonferroni the guardrail fails a
/// candidate that is within the bound in every segment with probability at most α, however often it
/// is looked at. Only a segment's Fail decides: a segment's point estimate beyond the bound
/// (marginal) or too few outcomes there does not hold the guardrail back, or with k segments one of
/// them nearly always would.
/// </summary>
internal static class KpiSegments
{
    /// <summary>The dimension the store and <see cref="SegmentKeys"/> use for a guardrail's <c>segmentBy</c> (and <c>segmentEdges</c>).</summary>
    public static string Dimension(GuardrailSpec spec) => Plans.SegmentCardinality.Dimension(spec);

    public static bool Applies(GuardrailSpec spec) => spec is { Metric: GuardrailMetric.Kpi, SegmentBy: not null, Threshold: not null, SegmentCount: > 0 };

    public static GuardrailState Accumulate(GuardrailSpec spec, Evaluation evaluation, GuardrailState state)
    {
        if (!Applies(spec) || evaluation.Baseline is not { } baseline)
        {
            return state;
        }

        var dimension = Dimension(spec);
        var candidateSegments = evaluation.Candidate.KpiBySegment?.GetValueOrDefault(dimension);
        var baselineSegments = baseline.KpiBySegment?.GetValueOrDefault(dimension);
        if (candidateSegments is null && baselineSegments is null)
        {
            return state;
        }

        var values = (candidateSegments?.Keys ?? []).Concat(baselineSegments?.Keys ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var segments = state.Segments.IsDefault ? ImmutableArray.CreateBuilder<SegmentState>() : state.Segments.ToBuilder();
        foreach (var value in values)
        {
            var index = IndexOf(segments, value);
            if (index < 0)
            {
                // k was fixed before the rollout; a value beyond it (none should occur) is not tested,
                // so the family-wise bound holds whatever the traffic carries.
                if (segments.Count >= spec.SegmentCount)
                {
                    continue;
                }

                segments.Add(new SegmentState(value, [], 1));
                index = segments.Count - 1;
            }

            var b = baselineSegments?.GetValueOrDefault(value) ?? default;
            var c = candidateSegments?.GetValueOrDefault(value) ?? default;
            var updated = StrataUpdate.Apply(GuardrailState.Initial with { Strata = segments[index].Strata }, evaluation, s => s with
            {
                Baseline = s.Baseline.Add(b),
                Candidate = s.Candidate.Add(c),
            });
            segments[index] = segments[index] with { Strata = updated.Strata };
        }

        return state with { Segments = segments.ToImmutable() };
    }

    /// <summary>Each segment's test at α/(2k) (<paramref name="alpha"/> is the guardrail's threshold α), with the running minima of their p-values updated.</summary>
    public static (ImmutableArray<SegmentState> States, List<(SegmentState Segment, Assessment Assessment)> Assessments) Assess(
        GuardrailSpec spec, GuardrailState state, double theta, double alpha, double elapsed)
    {
        var segmentAlpha = SegmentAlpha(spec, alpha);
        if (state.Segments.IsDefaultOrEmpty)
        {
            return ([], []);
        }

        var assessments = new List<(SegmentState, Assessment)>(state.Segments.Length);
        var states = ImmutableArray.CreateBuilder<SegmentState>(state.Segments.Length);
        foreach (var segment in state.Segments)
        {
            var assessment = KpiGuardrail.Threshold(spec, GuardrailState.Initial with { Strata = segment.Strata }, theta, segmentAlpha, elapsed);
            var updated = segment with { PValue = Math.Min(segment.PValue, assessment.PValue ?? 1) };
            states.Add(updated);
            assessments.Add((updated, assessment));
        }

        return (states.MoveToImmutable(), assessments);
    }

    public static double PooledAlpha(double alpha) => alpha / 2;

    public static double SegmentAlpha(GuardrailSpec spec, double alpha) => alpha / (2.0 * Math.Max(spec.SegmentCount, 1));

    public static string Label(GuardrailSpec spec, string value) => new Segment(Plans.SegmentCardinality.Dimension(spec.SegmentBy!), value).ToString();

    public static SegmentFigures Figures(string segment, Assessment assessment, double pValue, double alpha) => new(
        segment, assessment.Status, assessment.Baseline, assessment.Candidate, assessment.Effect,
        assessment.Ci?.Low, assessment.Ci?.High, assessment.PValue is null ? null : pValue, alpha, assessment.Samples);

    private static int IndexOf(ImmutableArray<SegmentState>.Builder segments, string value)
    {
        for (var i = 0; i < segments.Count; i++)
        {
            if (segments[i].Value == value)
            {
                return i;
            }
        }

        return -1;
    }
}
