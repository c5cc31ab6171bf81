using System.Text.Json;
using ModelOps.Core.Incidents.Series;
using static ModelOps.Web.Incidents.Reports.ReportCells;

namespace ModelOps.Web.Incidents.Reports;

/// <summary>
/// What an incident report says, from the incident exactly as <c>GET /api/incidents/{id}</c> shows
/// it (so the export and the API never disagree) plus its series buckets for the charts. Sections
/// of the evidence are read generically from its JSON, so one added later (the replay report)
/// appears without a change here beyond naming it.
/// </summary>
public static class IncidentReportBuilder
{
    /// <summary>How many sample rows the report lists; the API has them all.</summary>
    public const int SampleRows = 20;

    public static ReportDocument Build(IncidentView view, IReadOnlyList<IncidentSeriesBucket> buckets)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(buckets);
        var evidence = view.Evidence;
        var blocks = new List<ReportBlock>();
        Summary(blocks, view);
        Trigger(blocks, view, evidence);
        Verdicts(blocks, evidence);
        Artifacts(blocks, evidence);
        Routing(blocks, evidence);
        Charts(blocks, view, evidence, buckets);
        Timeline(blocks, view);
        IncidentReportEvidence.Verification(blocks, view.Verification);
        IncidentReportEvidence.Samples(blocks, Child(evidence, "samples"));
        IncidentReportEvidence.Replay(blocks, Child(evidence, "replay"));
        return new ReportDocument($"Incident {view.Id}: {view.Model} v{view.FromVersion} rolled back to v{view.ToVersion}", blocks);
    }

    private static void Summary(List<ReportBlock> blocks, IncidentView view)
    {
        blocks.Add(new ReportBlock.Heading("Summary"));
        blocks.Add(new ReportBlock.Paragraph(
            $"Rollout {view.RolloutId} of {view.Model}: candidate v{view.FromVersion} was rolled back to v{view.ToVersion} at {Of(view.OpenedAt)}. " +
            $"Incident status: {view.Status}; verification: {view.Verification.Status}{(view.Verification.Escalated ? " (escalated)" : "")}." +
            (view.ClosedAt is { } closed ? $" Closed by {view.ClosedBy} at {Of(closed)}; root cause: {view.RootCause}" : "")));
    }

    public static void Trigger(List<ReportBlock> blocks, IncidentView view, JsonElement evidence)
    {
        blocks.Add(new ReportBlock.Heading("Trigger"));
        blocks.Add(new ReportBlock.Table(["kind", "actor", "reason", "first failing at", "step", "state at decision"],
        [
            [view.Trigger.Kind, view.Trigger.Actor, view.Trigger.Reason, Of(evidence, "firstFailingAt"), Of(evidence, "stepIndex"), Of(evidence, "stateAtDecision")],
        ]));
    }

    public static void Verdicts(List<ReportBlock> blocks, JsonElement evidence)
    {
        blocks.Add(new ReportBlock.Heading("Verdicts at the decision"));
        var rows = Items(Child(evidence, "verdicts")).Select(v => (IReadOnlyList<string>)
        [
            Of(v, "metric"), Of(v, "status"), Of(v, "baseline"), Of(v, "candidate"),
            Bound(v), Of(v, "effect"), Interval(v), Of(v, "pValue"), Of(v, "breachedSince"), Of(v, "reason"),
        ]).ToList();
        blocks.Add(rows.Count == 0
            ? new ReportBlock.Paragraph("No judge verdicts: the rollback was not decided by a guardrail (see the trigger).")
            : new ReportBlock.Table(["metric", "status", "baseline", "candidate", "threshold / limit", "effect", "interval", "p-value", "breached since", "reason"], rows));
    }

    private static string Bound(JsonElement verdict) => (Of(verdict, "threshold"), Of(verdict, "limit")) switch
    {
        (None, None) => None,
        (var threshold, None) => $"threshold {threshold}",
        (None, var limit) => $"limit {limit}",
        (var threshold, var limit) => $"threshold {threshold}, limit {limit}",
    };

    public static void Artifacts(List<ReportBlock> blocks, JsonElement evidence)
    {
        var artifacts = Child(evidence, "artifacts");
        blocks.Add(new ReportBlock.Heading("Frozen artifacts"));
        blocks.Add(new ReportBlock.Table(["", "candidate", "rollback target"],
        [
            ["digest", Of(artifacts, "candidateDigest"), Of(artifacts, "targetDigest")],
            ["encoder", Of(artifacts, "candidateEncoder"), Of(artifacts, "targetEncoder")],
            ["calibration snapshot", Of(artifacts, "calibrationSnapshotId"), None],
        ]));
    }

    public static void Routing(List<ReportBlock> blocks, JsonElement evidence)
    {
        blocks.Add(new ReportBlock.Heading("Routing before and after"));
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (when, property) in new[] { ("before", "routingBefore"), ("after", "routingAfter") })
        {
            var table = Child(evidence, property);
            if (table.ValueKind != JsonValueKind.Object)
            {
                rows.Add([when, None, "not recorded", None]);
                continue;
            }

            var shadow = Child(table, "shadow");
            rows.Add([when, Of(table, "generation"), Weights(Child(table, "weights")), shadow.ValueKind == JsonValueKind.Object ? shadow.GetRawText() : None]);
            foreach (var region in Child(table, "regions") is { ValueKind: JsonValueKind.Object } regions ? regions.EnumerateObject() : Enumerable.Empty<JsonProperty>())
            {
                rows.Add([$"{when}, region {region.Name}", Of(table, "generation"), Weights(region.Value), None]);
            }
        }

        blocks.Add(new ReportBlock.Table(["when", "generation", "weights", "shadow"], rows));
    }

    private static string Weights(JsonElement weights) =>
        string.Join(", ", Items(weights).Select(w => $"v{Of(w, "version")}: {Of(w, "percent")} %"));

    public static void Charts(List<ReportBlock> blocks, IncidentView view, JsonElement evidence, IReadOnlyList<IncidentSeriesBucket> buckets)
    {
        blocks.Add(new ReportBlock.Heading("Metrics per arm"));
        var decidedAt = Child(Child(evidence, "series"), "decidedAt") is { ValueKind: JsonValueKind.String } at && at.TryGetDateTimeOffset(out var decided) ? decided : view.OpenedAt;
        (DateTimeOffset, DateTimeOffset)? window = view.Verification is { WindowFrom: { } from, WindowTo: { } to } ? (from, to) : null;
        var charts = IncidentReportCharts.Build(buckets, decidedAt, window);
        if (charts.Count == 0)
        {
            blocks.Add(new ReportBlock.Paragraph("No series copied yet: the verification job copies them after the decision."));
        }

        blocks.AddRange(charts);
    }

    private static void Timeline(List<ReportBlock> blocks, IncidentView view)
    {
        blocks.Add(new ReportBlock.Heading("Timeline"));
        blocks.Add(new ReportBlock.Table(["time", "actor", "action", "target"],
            [.. view.Timeline.Select(e => (IReadOnlyList<string>)[Of(e.At), e.Actor, e.Action, e.Target])]));
    }
}
