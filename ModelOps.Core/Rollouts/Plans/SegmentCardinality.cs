using ModelOps.Core.Common;
using ModelOps.Core.Divergence;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Rollouts.Plans;

/// <summary>
/// Fixes, before the rollout, how many segments a segmented KPI guardrail can see (k, over which its
/// α is split): <c>hourOfDay</c> has 24; a bucketed numeric feature of the candidate's encoder its
/// buckets + 1, plus one for a missing value; a categorical one its vocabulary, plus one for a missing
/// value and one for every value outside the vocabulary (<see cref="SegmentKeys.Of"/>). With
/// <c>segmentEdges</c> (hourOfDay or a numeric feature) the segments are the intervals the edges cut:
/// edges + 1 of them, plus one for a missing value on a feature. Any other <c>segmentBy</c> is a 400
/// naming <c>guardrails[i].segmentBy</c>. Pure.
/// </summary>
public static class SegmentCardinality
{
    public const string HourOfDay = Segment.HourOfDay;
    public const int Hours = 24;

    /// <summary>At most this many edges: more would be as fine as the hour's own buckets.</summary>
    public const int MaxEdges = 23;

    /// <summary>The dimension a guardrail's <c>segmentBy</c> names, as segment labels show it (<c>feature.hour</c>).</summary>
    public static string Dimension(string segmentBy) => segmentBy == HourOfDay ? segmentBy : Segment.Feature(segmentBy);

    /// <summary>
    /// The dimension <see cref="SegmentKeys.Of"/> and the metrics store use for a guardrail: its
    /// <see cref="Dimension(string)"/>, followed by <c>@</c> and the edges when it has any.
    /// </summary>
    public static string Dimension(GuardrailSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var dimension = Dimension(spec.SegmentBy ?? throw new ArgumentException("The guardrail is not segmented.", nameof(spec)));
        return spec.SegmentEdges is { Count: > 0 } edges ? SegmentKeys.WithEdges(dimension, edges) : dimension;
    }

    /// <summary>k of <c>hourOfDay</c>: its 24 hours, or the intervals its edges cut.</summary>
    public static int HourOfDayCount(IReadOnlyList<double>? edges) => edges is { Count: > 0 } ? edges.Count + 1 : Hours;

    /// <summary>What is wrong with a guardrail's <c>segmentEdges</c>, or null when they are absent or valid.</summary>
    public static string? EdgesProblem(string? segmentBy, IReadOnlyList<double>? edges)
    {
        if (edges is null)
        {
            return null;
        }

        if (segmentBy is null)
        {
            return "segmentEdges cut the values of segmentBy into coarser segments; set segmentBy (hourOfDay or a numeric feature) or remove segmentEdges.";
        }

        if (edges.Count is 0 or > MaxEdges)
        {
            return $"segmentEdges has {edges.Count} edges; give 1 to {MaxEdges} (e.g. [6, 12, 18] for four parts of the day), or remove it to use the key's own values.";
        }

        for (var i = 0; i < edges.Count; i++)
        {
            if (!double.IsFinite(edges[i]) || (i > 0 && edges[i] <= edges[i - 1]))
            {
                return $"segmentEdges must be finite numbers in strictly increasing order; edge {i} ({edges[i]}) is not.";
            }
        }

        return null;
    }

    /// <summary>
    /// Every <c>segmentBy</c> that <see cref="Resolve"/> accepts for a candidate with <paramref name="encoder"/>:
    /// <c>hourOfDay</c>, then its non-personal features in encoder order — a categorical one with a vocabulary,
    /// a numeric one with buckets, or a numeric one without (then only with <c>segmentEdges</c>).
    /// </summary>
    public static IReadOnlyList<SegmentChoice> Choices(FeatureEncoderSpec? encoder)
    {
        var choices = new List<SegmentChoice> { new(HourOfDay, $"{HourOfDay} — the UTC hour served (24 segments, or the intervals the edges cut)", TakesEdges: true, NeedsEdges: false) };
        foreach (var feature in encoder?.Features.Where(f => !f.Personal) ?? [])
        {
            SegmentChoice? choice = feature switch
            {
                { Kind: FeatureKind.Categorical, Vocabulary: { Count: > 0 } vocabulary } =>
                    new(feature.Name, $"{feature.Name} — {vocabulary.Count} categories", TakesEdges: false, NeedsEdges: false),
                { Kind: FeatureKind.Numeric, Buckets: { Count: > 0 } buckets } =>
                    new(feature.Name, $"{feature.Name} — {buckets.Count + 1} buckets, or the intervals the edges cut", TakesEdges: true, NeedsEdges: false),
                { Kind: FeatureKind.Numeric } => new(feature.Name, $"{feature.Name} — numeric: give edges", TakesEdges: true, NeedsEdges: true),
                _ => null,
            };
            if (choice is not null)
            {
                choices.Add(choice);
            }
        }

        return choices;
    }

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
            if (spec.SegmentEdges is { Count: > 0 } edges && feature is { Personal: false })
            {
                if (feature.Kind != FeatureKind.Numeric)
                {
                    return Error.Invalid($"guardrails[{i}].segmentEdges", $"segmentEdges cut a numeric value, and '{segmentBy}' is {feature.Kind.ToString().ToLowerInvariant()}: remove segmentEdges to segment by its categories.");
                }

                guardrails[i] = spec with { SegmentCount = edges.Count + 2 };
                continue;
            }

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
