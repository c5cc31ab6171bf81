using Microsoft.Extensions.Options;
using ModelOps.Core.Common;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Inference.Serving.Log;

namespace ModelOps.Inference.Serving.Chaos;

/// <summary>
/// Applies an injected fault inside the serving path, so metrics and the log see it exactly as a
/// real one: the added latency is really waited (up to the request timeout, beyond which the
/// request times out), then the error rate is drawn. A failed request is recorded here.
/// </summary>
public sealed class FaultInjector(ChaosBoard chaos, RequestRecorder recorder, IOptions<ServingOptions> options, TimeProvider time, Random random)
{
    /// <summary>Null when the request may proceed; else the error to answer with (already recorded).</summary>
    public async ValueTask<Error?> InjectAsync(string model, int runningVersion, ServedRequest served, CancellationToken cancellationToken)
    {
        if (chaos.Find(model, runningVersion) is not { } fault)
        {
            return null;
        }

        var timeoutMs = options.Value.RequestTimeoutMs;
        if (fault.AddedLatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(fault.AddedLatencyMs, timeoutMs)), time, cancellationToken);
            if (fault.AddedLatencyMs >= timeoutMs)
            {
                recorder.Record(served with { Status = RequestStatus.Timeout, Error = "timed out (injected latency)" });
                return Error.Unavailable($"{model} v{runningVersion} did not answer within {timeoutMs} ms (an injected chaos fault adds {fault.AddedLatencyMs} ms); retry, or clear the fault with DELETE /api/chaos.");
            }
        }

        return InjectError(model, runningVersion, served);
    }

    /// <summary>
    /// Only the error rate (mirrors run on one background loop, so injected latency is not waited there).
    /// Null when no error was drawn; else the error, already recorded.
    /// </summary>
    public Error? InjectError(string model, int runningVersion, in ServedRequest served)
    {
        if (chaos.Find(model, runningVersion) is not { ErrorRate: > 0 } fault)
        {
            return null;
        }

        double draw;
        lock (random)
        {
            draw = random.NextDouble();
        }

        if (!ChaosBoard.DrawsError(fault, draw))
        {
            return null;
        }

        recorder.Record(served with { Status = RequestStatus.Error, Error = "injected error" });
        return Error.Unavailable($"{model} v{runningVersion} failed with an injected chaos error (rate {fault.ErrorRate:0.###}); retry, or clear the fault with DELETE /api/chaos.");
    }
}
