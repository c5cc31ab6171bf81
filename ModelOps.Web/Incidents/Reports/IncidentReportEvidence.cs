using System.Text.Json;
using static ModelOps.Web.Incidents.Reports.ReportCells;

namespace ModelOps.Web.Incidents.Reports;

/// <summary>The report's sections about what was gathered after the decision: verification, the request sample, the replay.</summary>
public static class IncidentReportEvidence
{
    public static void Verification(List<ReportBlock> blocks, IncidentVerificationView verification)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(verification);
        blocks.Add(new ReportBlock.Heading("Verification"));
        blocks.Add(new ReportBlock.Paragraph(
            $"Status: {verification.Status}{(verification.Escalated ? " (escalated)" : "")}; checked at {Of(verification.CheckedAt)}; " +
            $"window {Of(verification.WindowFrom)} to {Of(verification.WindowTo)}; basis: {verification.Basis ?? None}. {verification.Reason}"));
        var checks = Items(verification.Checks).Select(c => (IReadOnlyList<string>)
        [
            Of(c, "metric"), Of(c, "bound"), Of(c, "tripped"), Of(c, "comparison"), Of(c, "expected"), Of(c, "observed"),
            Of(c, "baseline"), Of(c, "samples"), $"{Of(c, "bucketsJudged")} / {Of(c, "buckets")}", Of(c, "outcome"),
        ]).ToList();
        if (checks.Count > 0)
        {
            blocks.Add(new ReportBlock.Table(["metric", "bound", "tripped", "comparison", "expected", "observed", "baseline", "samples", "buckets judged", "outcome"], checks));
        }
    }

    public static void Samples(List<ReportBlock> blocks, JsonElement samples)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        blocks.Add(new ReportBlock.Heading("Sampled requests of the candidate"));
        var rows = Items(Child(samples, "rows")).ToList();
        blocks.Add(new ReportBlock.Paragraph(
            $"{Of(samples, "count")} requests copied from the inference log at {Of(samples, "copiedAt")} (kept with the incident through log retention); the first {Math.Min(rows.Count, IncidentReportBuilder.SampleRows)} by time:"));
        if (rows.Count > 0)
        {
            blocks.Add(new ReportBlock.Table(["time", "request", "version", "arm", "region", "score", "status", "latency ms", "error", "features"],
                [.. rows.Take(IncidentReportBuilder.SampleRows).Select(r => (IReadOnlyList<string>)
                [
                    Of(r, "at"), Of(r, "requestId"), Of(r, "version"), Of(r, "arm"), Of(r, "region"),
                    Of(r, "score"), Of(r, "status"), Of(r, "latencyMs"), Of(r, "error"), Of(r, "features"),
                ])]));
        }
    }

    /// <summary>The replay report, when one is attached: its fields as they are, read generically.</summary>
    public static void Replay(List<ReportBlock> blocks, JsonElement replay)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (replay.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        blocks.Add(new ReportBlock.Heading("Replay through the rollback target"));
        blocks.Add(Properties(replay));
    }
}
