using System.Globalization;
using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Core.Divergence;

/// <summary>
/// The segments one logged request belongs to: its region, the UTC hour of day it was served in,
/// and one per categorical or bucketed feature of the encoder (the feature's category or bucket;
/// a bucketed hour feature is how the demo's simulated night shows). Personal features are never
/// segments. Pure.
/// </summary>
public static class SegmentKeys
{
    public const string None = "(none)";

    public static IReadOnlyList<Segment> For(string? region, DateTimeOffset at, IReadOnlyDictionary<string, FeatureValue>? features, FeatureEncoderSpec? spec)
    {
        var segments = new List<Segment>(2 + (spec?.Features.Count ?? 0))
        {
            new(Segment.Region, string.IsNullOrEmpty(region) ? None : region),
            new(Segment.HourOfDay, at.UtcDateTime.Hour.ToString("00", CultureInfo.InvariantCulture)),
        };
        foreach (var feature in spec?.Features ?? [])
        {
            if (feature.Personal || FeatureSegment(feature, features) is not { } value)
            {
                continue;
            }

            segments.Add(new Segment(Segment.Feature(feature.Name), value));
        }

        return segments;
    }

    public const string Other = "(other)";

    /// <summary>
    /// The value of one dimension for a served request (<see cref="Segment.HourOfDay"/> or
    /// <c>feature.&lt;name&gt;</c>), as <see cref="For"/> gives it, except that a categorical value
    /// outside the encoder's vocabulary is <see cref="Other"/>: a segmented KPI guardrail splits its α
    /// over a number of segments fixed in advance. Null when the dimension does not apply.
    /// </summary>
    public static string? Of(string dimension, DateTimeOffset at, IReadOnlyDictionary<string, FeatureValue>? features, FeatureEncoderSpec? spec)
    {
        if (dimension.IndexOf(EdgesMark, StringComparison.Ordinal) is var mark and >= 0)
        {
            return OfEdged(dimension[..mark], ParseEdges(dimension[(mark + 1)..]), at, features, spec);
        }

        if (dimension == Segment.HourOfDay)
        {
            return at.UtcDateTime.Hour.ToString("00", CultureInfo.InvariantCulture);
        }

        var name = dimension.StartsWith("feature.", StringComparison.Ordinal) ? dimension["feature.".Length..] : null;
        var feature = name is null ? null : spec?.Features.FirstOrDefault(f => f.Name == name);
        if (feature is null || feature.Personal || FeatureSegment(feature, features) is not { } value)
        {
            return null;
        }

        return feature.Kind == FeatureKind.Categorical && value != None && feature.Vocabulary?.Contains(value) != true ? Other : value;
    }

    private const char EdgesMark = '@';

    /// <summary>
    /// A dimension whose values are the intervals <paramref name="edges"/> cut (a segmented KPI guardrail's
    /// <c>segmentEdges</c>): <c>feature.hour@6,12,18</c>. <see cref="Of"/> reads it back.
    /// </summary>
    public static string WithEdges(string dimension, IReadOnlyList<double> edges) =>
        $"{dimension}{EdgesMark}{string.Join(',', edges.Select(Number))}";

    private static double[] ParseEdges(string edges) =>
        [.. edges.Split(',').Select(edge => double.Parse(edge, NumberStyles.Float, CultureInfo.InvariantCulture))];

    /// <summary>The interval of the edges the UTC hour or a numeric feature's value falls in; <see cref="None"/> for a missing value.</summary>
    private static string? OfEdged(string dimension, double[] edges, DateTimeOffset at, IReadOnlyDictionary<string, FeatureValue>? features, FeatureEncoderSpec? spec)
    {
        if (dimension == Segment.HourOfDay)
        {
            return Bucket(edges, at.UtcDateTime.Hour);
        }

        var name = dimension.StartsWith("feature.", StringComparison.Ordinal) ? dimension["feature.".Length..] : null;
        var feature = name is null ? null : spec?.Features.FirstOrDefault(f => f.Name == name);
        if (feature is not { Personal: false, Kind: FeatureKind.Numeric })
        {
            return null;
        }

        return features is not null && features.TryGetValue(feature.Name, out var value) && value.Kind == FeatureValueKind.Number
            ? Bucket(edges, value.Number)
            : None;
    }

    private static string? FeatureSegment(FeatureSpec feature, IReadOnlyDictionary<string, FeatureValue>? features)
    {
        var value = features is not null && features.TryGetValue(feature.Name, out var found) ? found : FeatureValue.Null;
        return feature.Kind switch
        {
            FeatureKind.Categorical => value.Kind == FeatureValueKind.Text ? value.Text : None,
            FeatureKind.Numeric when feature.Buckets is { Count: > 0 } edges => value.Kind == FeatureValueKind.Number ? Bucket(edges, value.Number) : None,
            _ => null,
        };
    }

    /// <summary>The bucket the encoder puts <paramref name="x"/> in: the first edge it is below, else the overflow.</summary>
    private static string Bucket(IReadOnlyList<double> edges, double x)
    {
        for (var i = 0; i < edges.Count; i++)
        {
            if (x < edges[i])
            {
                return i == 0 ? $"< {Number(edges[0])}" : $"[{Number(edges[i - 1])}, {Number(edges[i])})";
            }
        }

        return $">= {Number(edges[^1])}";
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
