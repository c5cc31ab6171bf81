using System.Globalization;
using ModelOps.Core.Rollouts.Monitoring;
using ModelOps.Core.Rollouts.Stability;
using ModelOps.Inference.Serving.Metrics;

namespace ModelOps.Web.Metrics;

/// <summary>
/// The rollout families of <c>/metrics</c>, written from one <see cref="RolloutMetrics"/> read per scrape.
/// States and guardrail statuses are one series per rollout (per guardrail) with value 1 and the
/// current value as a label; a series whose label changes ends and a new one begins, so alert on
/// <c>== 1</c> with the label you care about.
/// </summary>
public static class RolloutExposition
{
    public static void Write(TextWriter writer, RolloutMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        PrometheusTextWriter.WriteFamily(
            writer,
            "modelops_rollout_state",
            "gauge",
            "1 for the rollout's current state (shadowing, progressing, paused, awaitingApproval, rollingBack, promoted, rolledBack, aborted); active rollouts plus those ended in the last hour.",
            metrics.States.Select(s => (Labels(("rollout", s.RolloutId), ("model", s.Model), ("state", s.State)), 1.0)));

        PrometheusTextWriter.WriteFamily(
            writer,
            "modelops_rollout_guardrail_status",
            "gauge",
            "1 for each guardrail's latest persisted verdict (status pass, marginal, fail, insufficientData) on active rollouts; guardrail is its 1-based position in the plan; no series before the first judgement.",
            metrics.Guardrails.Select(g => (GuardrailLabels(g), 1.0)));

        PrometheusTextWriter.WriteFamily(
            writer,
            "modelops_rollbacks_total",
            "counter",
            "Rollbacks decided, by model and trigger as recorded (hard, approvalRevert, approvalTimeout, manual; unknown when none was), counted from the stored rollouts.",
            metrics.Rollbacks.Select(r => (Labels(("model", r.Model), ("trigger", r.Trigger)), (double)r.Count)));

        WriteHistogram(writer, "modelops_rollout_decision_to_restore_seconds", "Rolled-back rollouts: rollback decision committed to the rollback target's routing table live.", metrics.DecisionToRestore);
        WriteHistogram(writer, "modelops_rollout_detection_to_restore_seconds", "Rolled-back rollouts: first failing evaluation of the breach to the rollback target's routing table live (hard triggers).", metrics.DetectionToRestore);

        const string Options = ChronicFailureOptions.Section;
        PrometheusTextWriter.WriteFamily(
            writer,
            "modelops_model_chronically_failing",
            "gauge",
            $"1 while the model is chronically failing (rolled back at least {Options}:Rollbacks times within {Options}:PeriodHours), else 0; models ever rolled back.",
            metrics.ChronicallyFailing.Select(m => (Labels(("model", m.Model)), m.Flag is null ? 0.0 : 1.0)));
    }

    private static void WriteHistogram(TextWriter writer, string name, string help, RestoreHistogram histogram)
    {
        PrometheusTextWriter.WriteFamilyHeader(writer, name, "histogram", help);
        for (var i = 0; i < RestoreHistogram.BoundsSeconds.Count; i++)
        {
            var le = RestoreHistogram.BoundsSeconds[i].ToString("R", CultureInfo.InvariantCulture);
            PrometheusTextWriter.WriteSample(writer, $"{name}_bucket", Labels(("le", le)), histogram.Buckets[i]);
        }

        PrometheusTextWriter.WriteSample(writer, $"{name}_bucket", Labels(("le", "+Inf")), histogram.Count);
        PrometheusTextWriter.WriteSample(writer, $"{name}_sum", [], histogram.SumSeconds);
        PrometheusTextWriter.WriteSample(writer, $"{name}_count", [], histogram.Count);
    }

    private static IReadOnlyList<KeyValuePair<string, string>> GuardrailLabels(GuardrailStatusSample g)
    {
        var labels = new List<KeyValuePair<string, string>>
        {
            new("rollout", g.RolloutId),
            new("model", g.Model),
            new("guardrail", g.Guardrail.ToString(CultureInfo.InvariantCulture)),
            new("metric", g.Metric),
            new("severity", g.Severity),
            new("status", g.Status),
        };
        if (g.Feature is { } feature)
        {
            labels.Add(new("feature", feature));
        }

        return labels;
    }

    private static IReadOnlyList<KeyValuePair<string, string>> Labels(params (string Name, string Value)[] labels) =>
        [.. labels.Select(l => new KeyValuePair<string, string>(l.Name, l.Value))];
}
