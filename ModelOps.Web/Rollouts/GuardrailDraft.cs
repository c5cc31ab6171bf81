using System.Globalization;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// One guardrail as the wizard edits it: the <see cref="Request"/> (its <c>segmentEdges</c> always null)
/// and the edges as typed (<see cref="EdgesText"/>), kept apart so a token that is not a number stays on
/// screen as typed and <see cref="NewRolloutForm.Validate"/> names it, instead of turning into NaN.
/// </summary>
public sealed record GuardrailDraft(GuardrailRequest Request, string EdgesText)
{
    /// <summary>
    /// Whether the guardrail is judged on sampled traffic: everything but <c>offline</c>, which compares
    /// the registry's static numbers, so its window, α and minimum sample mean nothing and are not offered.
    /// </summary>
    public static bool IsSampled(string? metric) => metric is not ("offline" or "offline_auc");

    /// <summary>
    /// A template guardrail with the defaults the planner would apply written out, so the operator sees
    /// and may edit them: <c>alpha</c> and <c>minSamples</c> (sampled metrics), and for a KPI <c>attributionSeconds</c>.
    /// </summary>
    public static GuardrailDraft From(GuardrailRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sampled = IsSampled(request.Metric);
        var filled = request with
        {
            Alpha = sampled ? request.Alpha ?? GuardrailSpec.DefaultAlpha : request.Alpha,
            MinSamples = sampled ? request.MinSamples ?? GuardrailSpec.DefaultMinSamples : request.MinSamples,
            AttributionSeconds = request.Metric == "kpi" ? request.AttributionSeconds ?? GuardrailSpec.DefaultAttributionSeconds : request.AttributionSeconds,
            SegmentEdges = null,
        };
        return new GuardrailDraft(filled, NewRolloutForm.EdgesText(request.SegmentEdges));
    }

    /// <summary>The guardrail as posted: the typed edges parsed (a token that is not a number as NaN, see <see cref="NewRolloutForm.ParseEdges"/>).</summary>
    public GuardrailRequest ToRequest() => Request with { SegmentEdges = NewRolloutForm.ParseEdges(EdgesText) };

    /// <summary>
    /// What is wrong with this guardrail, keyed by the contract's field path under <paramref name="path"/>
    /// (<c>guardrails[2].segmentEdges</c>), each saying how to fix it. <paramref name="segments"/>: the
    /// candidate's <see cref="SegmentCardinality.Choices"/>; null leaves <c>segmentBy</c> to the planner.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> Problems(string path, IReadOnlyList<SegmentChoice>? segments)
    {
        var g = Request;
        if (g.Threshold is null && g.Limit is null)
        {
            yield return new($"{path}.threshold", $"Guardrail {g.Metric} needs a threshold, a limit, or both.");
        }

        if (g.Alpha is { } alpha && !(alpha > 0 && alpha < 0.5))
        {
            yield return new($"{path}.alpha", $"α must be above 0 and below 0.5, e.g. {Number(GuardrailSpec.DefaultAlpha)}: the chance this guardrail fails a candidate that is within its bounds.");
        }

        if (g.MinSamples is < 0)
        {
            yield return new($"{path}.minSamples", $"Min samples cannot be negative, e.g. {GuardrailSpec.DefaultMinSamples} per arm.");
        }

        if (g.AttributionSeconds is < 0)
        {
            yield return new($"{path}.attributionSeconds", $"The attribution window cannot be negative, e.g. {GuardrailSpec.DefaultAttributionSeconds} s.");
        }

        if (EdgesProblem(segments) is { } edges)
        {
            yield return new($"{path}.segmentEdges", edges);
        }
        else if (g.SegmentBy is { } segmentBy && segments is not null && !segments.Any(s => s.Key == segmentBy))
        {
            yield return new($"{path}.segmentBy", $"Segment by '{segmentBy}' cannot split this candidate's KPI; pick one of: {string.Join(", ", segments.Select(s => s.Key))}.");
        }
    }

    private string? EdgesProblem(IReadOnlyList<SegmentChoice>? segments)
    {
        var tokens = NewRolloutForm.Tokens(EdgesText);
        var choice = segments?.FirstOrDefault(s => s.Key == Request.SegmentBy);
        if (tokens.FirstOrDefault(t => NewRolloutForm.Number(t) is null) is { } bad)
        {
            return $"Segment edges: '{bad}' is not a number; give numbers separated by commas, in increasing order, e.g. 6, 12, 18.";
        }

        if (tokens.Count > 0 && Request.SegmentBy is null)
        {
            return "Segment edges cut the values of Segment by: pick what to segment by, or clear the edges.";
        }

        if (tokens.Count > 0 && choice is { TakesEdges: false })
        {
            return $"Segment edges cut numbers, and '{choice.Key}' is categorical: its categories are the segments; clear the edges.";
        }

        return tokens.Count == 0 && choice is { NeedsEdges: true }
            ? $"Segment edges: '{choice.Key}' has no buckets of its own; give edges that cut it into segments, e.g. 10, 100."
            : null;
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
