using System.Globalization;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;

namespace ModelOps.Web.Rollouts.Dashboard;

/// <summary>
/// One row of the dashboard's guardrail board, built from the same <see cref="GuardrailView"/>
/// GET /api/rollouts/{id} returns plus the plan's sustain time: the numbers formatted in the
/// metric's unit, how long a breach has held against its sustain time, and, while data is
/// insufficient, the samples still needed and when they are expected.
/// </summary>
public sealed record GuardrailBoardRow(
    string Metric,
    string? Region,
    string Severity,
    string Status,
    string StatusText,
    string BaselineText,
    string CandidateText,
    string BoundText,
    string PValueText,
    string BreachText,
    bool Sustained,
    string? NeededText,
    string Reason)
{
    /// <summary>
    /// The board of a rollout: a row per entry of <see cref="RolloutView.Guardrails"/>, which lists the
    /// plan's guardrails in order, then each open region's again in the same order (hence the modulo).
    /// </summary>
    public static IReadOnlyList<GuardrailBoardRow> Board(RolloutView view, RolloutPlan? plan, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(view);
        return plan is null || plan.Guardrails.Count == 0 ? [] :
            [.. view.Guardrails.Select((g, i) => From(g, plan.Guardrails[i % plan.Guardrails.Count].SustainSeconds, asOf))];
    }

    /// <param name="sustainSeconds">The plan's sustain time for this guardrail.</param>
    /// <param name="asOf">Now while the rollout is active; its last evaluation once it ended (a breach stops holding then).</param>
    public static GuardrailBoardRow From(GuardrailView view, int sustainSeconds, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(view);
        var unit = UnitOf(view.Metric);
        var held = view.BreachedSince is { } since ? Math.Max(0, (asOf - since).TotalSeconds) : (double?)null;
        var breach = held is { } h
            ? Invariant($"breach held {h:0} s of {sustainSeconds} s sustain") + (h >= sustainSeconds ? " · sustained" : string.Empty)
            : "no breach";
        return new(
            view.Feature is { } feature ? $"{view.Metric} ({feature})" : view.Metric,
            view.Region,
            view.Severity,
            view.Status,
            StatusTextOf(view.Status),
            Value(view.Baseline, unit),
            Value(view.Candidate, unit),
            Bound(view, unit),
            view.PValue is { } p ? (p < 0.0001 ? Invariant($"< 0.0001 (α {view.Alpha:0.####})") : Invariant($"{p:0.####} (α {view.Alpha:0.####})")) : Invariant($"— (α {view.Alpha:0.####})"),
            breach,
            held is { } s && s >= sustainSeconds,
            view.Status == "insufficientData" ? Needed(view) : null,
            view.Reason);
    }

    /// <summary>The status in words (the board shows it with an icon and a colour as well, never the colour alone).</summary>
    public static string StatusTextOf(string status) => status switch
    {
        "pass" => "Pass",
        "marginal" => "Marginal",
        "fail" => "Fail",
        _ => "Insufficient data",
    };

    private static string? Needed(GuardrailView view)
    {
        if (view.SamplesNeeded is not { } needed)
        {
            return Invariant($"have {view.Samples.Baseline} / {view.Samples.Candidate} samples (baseline / candidate)");
        }

        var eta = view.EtaSeconds is { } seconds && double.IsFinite(seconds) ? $"ETA ~{Duration(seconds)}" : "ETA unknown (no candidate traffic)";
        return Invariant($"needs {needed.Baseline} / {needed.Candidate} samples, has {view.Samples.Baseline} / {view.Samples.Candidate} (baseline / candidate) · {eta}");
    }

    private static string Bound(GuardrailView view, MetricUnit unit)
    {
        var parts = new List<string>(2);
        if (view.Threshold is { } threshold)
        {
            parts.Add(unit switch
            {
                MetricUnit.Milliseconds => Invariant($"+{threshold * 100:0.##} % vs baseline"),
                MetricUnit.Rate => Invariant($"+{threshold * 100:0.###} pp vs baseline"),
                MetricUnit.Kpi => Invariant($"−{threshold * 100:0.##} % vs baseline"),
                MetricUnit.Ratio when view.Metric == "srm" => "sample ratio as routed",
                _ => Invariant($"threshold {threshold:0.####}"),
            });
        }

        if (view.Limit is { } limit)
        {
            parts.Add("limit " + Value(limit, unit));
        }

        return parts.Count == 0 ? "—" : string.Join(" · ", parts);
    }

    private static string Value(double? value, MetricUnit unit) => value is not { } v || !double.IsFinite(v) ? "—" : unit switch
    {
        MetricUnit.Milliseconds => Invariant($"{v:0.#} ms"),
        MetricUnit.Rate => Invariant($"{v * 100:0.###} %"),
        _ => Invariant($"{v:0.####}"),
    };

    private static string Duration(double seconds) => seconds < 90 ? Invariant($"{seconds:0} s") : Invariant($"{seconds / 60:0.#} min");

    private static MetricUnit UnitOf(string metric) => GuardrailMetricNames.FromWire(metric) switch
    {
        GuardrailMetric.LatencyP95 or GuardrailMetric.LatencyP99 => MetricUnit.Milliseconds,
        GuardrailMetric.ErrorRate or GuardrailMetric.TimeoutRate or GuardrailMetric.NullRate => MetricUnit.Rate,
        GuardrailMetric.Kpi => MetricUnit.Kpi,
        _ => MetricUnit.Ratio,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private enum MetricUnit
    {
        Milliseconds,
        Rate,
        Kpi,
        Ratio,
    }
}
