using ModelOps.Core.Common;
using ModelOps.Core.Divergence;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Rollouts.Plans;

/// <summary>
/// Fixes, before the rollout, how many segments a segmented KPI guardrail can see (k, over which its
/// α is split): <c>hourOfDay</c> has 24; a bucketed numeric feature of the candidate's encoder its
/// buckets + 1, plus one for a missing value; a categorical one its vocabulary, plus one for a missing
/// value and one for every value outside the vocabulary (<see cref="SegmentKeys.Of"/>). Any other
/// <c>segmentBy</c> is a 400 naming <c>guardrails[i].segmentBy</c>. Pure.
/// </summary>
public static class SegmentCardinality
{
    public const string HourOfDay = Segment.HourOfDay;
    public const int Hours = 24;

    /// <summary>The dimension <see cref="SegmentKeys"/> and the metrics store use for a guardrail's <c>segmentBy</c>.</summary>
    public static string Dimension(string segmentBy) => segmentBy == HourOfDay ? segmentBy : Segment.Feature(segmentBy);

    public static Result<RolloutPlan> Resolve(RolloutPlan plan, FeatureEncoderSpec? encoder)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var guardrails = plan.Guardrails.ToArray();
        for (var i = 0; i < guardrails.Length; i++)
        {
            if (guardrails[i] is not { SegmentBy: { } segmentBy } spec || segmentBy == HourOfDay)
            {
                continue;
            }

            var feature = encoder?.Features.FirstOrDefault(f => f.Name == segmentBy);
            int? k = feature switch
            {
                null or { Personal: true } => null,
                { Kind: FeatureKind.Categorical, Vocabulary: { Count: > 0 } vocabulary } => vocabulary.Count + 2,
                { Kind: FeatureKind.Numeric, Buckets: { Count: > 0 } buckets } => buckets.Count + 2,
                _ => null,
            };
            if (k is not { } count)
            {
                var known = encoder?.Features.Where(f => !f.Personal && (f.Kind == FeatureKind.Categorical || f.Buckets is { Count: > 0 })).Select(f => f.Name) ?? [];
                return Error.Invalid($"guardrails[{i}].segmentBy",
                    $"segmentBy '{segmentBy}' is not {HourOfDay} or a categorical or bucketed, non-personal feature of v{plan.CandidateVersion}'s encoder{(encoder is null ? " (it has none paired)" : $" ({encoder.Name}@{encoder.Version}: {string.Join(", ", known.DefaultIfEmpty("none"))})")}.");
            }

            guardrails[i] = spec with { SegmentCount = count };
        }

        return plan with { Guardrails = guardrails };
    }
}
