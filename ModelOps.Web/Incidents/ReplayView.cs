using System.Text.Json;
using ModelOps.Core.Divergence;
using ModelOps.Core.Incidents.Replay;

namespace ModelOps.Web.Incidents;

/// <summary>
/// <c>evidence.replay</c> (api-contract.md): the latest replay's status and progress
/// (<see cref="Rows"/> scored of <see cref="RowsTotal"/>) and, once it has one, its divergence
/// report (flip share, quantiles of candidate − target, histogram, per segment).
/// </summary>
public sealed record ReplayView(
    string Id,
    string Status,
    int Rows,
    int? RowsTotal,
    int CandidateVersion,
    int TargetVersion,
    DateTimeOffset TrafficFrom,
    DateTimeOffset TrafficTo,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? CancelRequestedBy,
    string? Error,
    double? FlipShare,
    int? Flips,
    double? DecisionThreshold,
    string? ThresholdSource,
    string? Note,
    DiffQuantiles? DiffQuantiles,
    DiffHistogram? Histogram,
    int? MinSegmentRows,
    IReadOnlyList<SegmentDivergence> BySegment)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ReplayView From(ReplayRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var report = run.ReportJson is null ? null : JsonSerializer.Deserialize<DivergenceReport>(run.ReportJson, Json);
        return new(
            run.Id, run.Status, run.RowsDone, run.RowsTotal, run.CandidateVersion, run.TargetVersion, run.From, run.To,
            run.QueuedAt, run.StartedAt, run.EndedAt, run.CancelRequestedBy, run.Error,
            report?.FlipShare, report?.Flips, report?.DecisionThreshold, report?.ThresholdSource, report?.Note,
            report?.DiffQuantiles, report?.Histogram, report?.MinSegmentRows, report?.BySegment ?? []);
    }

    /// <summary>The incident's frozen evidence with <c>replay</c> added (the stored evidence itself is never rewritten).</summary>
    public static JsonElement Attach(JsonElement evidence, ReplayRun? run)
    {
        if (run is null || evidence.ValueKind != JsonValueKind.Object)
        {
            return evidence;
        }

        var node = System.Text.Json.Nodes.JsonObject.Create(evidence)!; // An object element makes an object node.
        node["replay"] = JsonSerializer.SerializeToNode(From(run), Json);
        return JsonSerializer.SerializeToElement(node, Json);
    }
}
