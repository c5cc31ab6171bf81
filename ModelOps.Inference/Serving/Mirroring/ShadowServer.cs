using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Chaos;
using ModelOps.Inference.Serving.Requests;
using ModelOps.Inference.Serving.Routing;

namespace ModelOps.Inference.Serving.Mirroring;

/// <summary>
/// Runs a mirror copy on the shadow version: measured and logged under the shadow arm, never
/// answered. Injected latency is not waited (mirrors share one background loop); injected errors are.
/// </summary>
public sealed class ShadowServer(RequestRouter router, FaultInjector faults, RequestExecutor executor, TimeProvider time)
{
    public void Serve(ShadowWork work)
    {
        var start = time.GetTimestamp();
        if (router.Lease(work.Model, work.Version) is not { } session)
        {
            return;
        }

        try
        {
            var served = new ServedRequest(
                work.RequestId + "~shadow", work.Model, work.Version, Arm.Shadow, session.Version.Encoder?.Spec, work.RoutingKey, work.Region, work.Features, start);
            if (faults.InjectError(work.Model, work.Version, served) is not null)
            {
                return;
            }

            if (work.Features is not null)
            {
                _ = executor.Predict(new PredictRequest(work.Model, work.Features, work.RoutingKey, work.Region), session, served);
            }
            else if (work.Input is not null)
            {
                var input = new InferInput(session.Version.Inputs[0].Name, [work.Rows, work.Input.Length / Math.Max(1, work.Rows)], "FP32", work.Input);
                _ = executor.Infer(new InferRequest(work.Model, served.RequestId, [input], work.RoutingKey, work.Region), session, served);
            }
        }
        finally
        {
            session.Release();
        }
    }
}
