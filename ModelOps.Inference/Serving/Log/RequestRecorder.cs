using ModelOps.Core.Divergence;
using ModelOps.Core.Serving.Log;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Metrics;
using ModelOps.Inference.Serving.Requests;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// Records one request everywhere it is read later: the per-arm metrics (what guardrails judge),
/// the recent-request index (what feedback finds) and the inference log (what replay and
/// incidents read). A fallback is recorded on the routed version's arm as that version's
/// failure, and takes feedback there (intention to treat), but never trains calibration: its
/// score came from another version.
/// </summary>
public sealed class RequestRecorder(ServingMetricsStore metrics, RecentRequests recent, IInferenceLog log, TimeProvider time)
{
    public void Record(in ServedRequest served)
    {
        var latency = time.GetElapsedTime(served.Start);
        if (served.CountInMetrics)
        {
            // Drift and score histograms take answered requests only.
            var answered = served.Status == RequestStatus.Ok;
            metrics.RecordServed(served.Model, served.Version, served.Arm, latency, served.Status, answered ? served.Features : null, served.Region, answered ? served.Score : null);
        }

        if (served.Status is RequestStatus.Ok or RequestStatus.Fallback && served.Arm != Arm.Shadow)
        {
            var rawScore = served.Status == RequestStatus.Ok ? served.RawScore : null;
            recent.Add(new RequestRef(served.RequestId, served.Model, served.Version, served.Arm, rawScore, served.Region, SegmentsOf(served)));
        }

        log.Enqueue(new InferenceRecord(
            served.RequestId, time.GetUtcNow(), served.Model, served.Version, served.Arm, served.RoutingKey, served.Region,
            served.Features, served.Encoder, served.Input, served.Outputs, served.Score, latency.TotalMilliseconds, served.Status, served.Error));
    }

    /// <summary>The segments a segmented KPI guardrail of the model asked for, from the same key source as the divergence reports.</summary>
    private List<Segment>? SegmentsOf(in ServedRequest served)
    {
        var dimensions = metrics.Segments.Dimensions(served.Model);
        if (dimensions.IsEmpty)
        {
            return null;
        }

        var at = time.GetUtcNow();
        var segments = new List<Segment>(dimensions.Length);
        foreach (var dimension in dimensions)
        {
            if (SegmentKeys.Of(dimension, at, served.Features, served.Encoder) is { } value)
            {
                segments.Add(new Segment(dimension, value));
            }
        }

        return segments;
    }
}
