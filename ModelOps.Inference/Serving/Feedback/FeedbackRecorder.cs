using ModelOps.Core.Common;
using ModelOps.Core.Serving.Log;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Calibration;
using ModelOps.Inference.Serving.Chaos;
using ModelOps.Inference.Serving.Metrics;
using ModelOps.Inference.Serving.Requests;

namespace ModelOps.Inference.Serving.Feedback;

/// <summary>
/// Attaches an outcome (e.g. 1 = click) to an answered request: counted once per request in its
/// arm's KPI, used to train the version's calibration when the raw score is known, and logged.
/// </summary>
public sealed class FeedbackRecorder(
    RequestLookup requests,
    ChaosBoard chaos,
    ServingMetricsStore metrics,
    CalibrationRegistry calibration,
    IInferenceLog log,
    TimeProvider time)
{
    /// <summary>True when recorded; false when this request already had an outcome (not counted twice).</summary>
    public async Task<Result<bool>> RecordAsync(string requestId, double outcome, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(requestId))
        {
            return Error.Invalid("requestId", "requestId is empty; send the id returned by predict or infer.");
        }

        if (!double.IsFinite(outcome))
        {
            return Error.Invalid("outcome", $"outcome {outcome} is not a finite number; send e.g. 1 for a click and 0 for none.");
        }

        var found = await requests.FindAsync(requestId, cancellationToken);
        if (found is null)
        {
            return Error.NotFound($"No answered request has id '{requestId}' (ids are kept for the log's retention); check the id returned by predict or infer.");
        }

        if (Interlocked.Exchange(ref found.OutcomeReceived, 1) == 1)
        {
            return false;
        }

        // A KPI fault scales outcomes here, where a real regression would show: the KPI is their mean.
        outcome = ChaosBoard.ApplyKpi(chaos.Find(found.Model, found.Version), outcome);
        metrics.RecordOutcome(found.Model, found.Version, found.Arm, outcome, found.Region, found.Segments);
        if (found.RawScore is { } raw)
        {
            calibration.Observe(found.Model, found.Version, raw, outcome);
        }

        log.EnqueueFeedback(new InferenceFeedback
        {
            RequestId = requestId,
            Model = found.Model,
            Version = found.Version,
            Arm = found.Arm.ToWire(),
            Outcome = outcome,
            ReceivedAt = time.GetUtcNow(),
        });
        return true;
    }
}
