using ModelOps.Core.Common;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Inference.Serving.Chaos;
using ModelOps.Inference.Serving.Mirroring;
using ModelOps.Inference.Serving.Requests;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Inference.Serving;

/// <summary>
/// The serving pipeline, per request: route (read the routing snapshot once, pick a version,
/// lease its warm session, or the baseline's on a fallback) → inject any chaos fault → run and
/// record → offer a mirror copy. Each step is its capability's type; this is only their order.
/// </summary>
public sealed class ModelServer(RequestRouter router, FaultInjector faults, RequestExecutor executor, ShadowQueue mirrors, RecentRequests recent, TimeProvider time)
{
    public ValueTask<Result<Prediction>> PredictAsync(PredictRequest request, CancellationToken cancellationToken) =>
        ServeAsync(
            request, request.Model, request.RoutingKey, request.Region, request.RequestId, request.Features,
            static (executor, r, session, served) => executor.Predict(r, session, served),
            static (r, id, mirror) => new ShadowWork(id, r.Model, mirror, r.Features, null, 1, r.RoutingKey, r.Region),
            cancellationToken);

    public ValueTask<Result<InferResult>> InferAsync(InferRequest request, CancellationToken cancellationToken) =>
        ServeAsync(
            request, request.Model, request.RoutingKey, request.Region, request.RequestId, null,
            static (executor, r, session, served) => executor.Infer(r, session, served),
            static (r, id, mirror) => new ShadowWork(id, r.Model, mirror, null, r.Inputs[0].Data, (int)r.Inputs[0].Shape[0], r.RoutingKey, r.Region),
            cancellationToken);

    /// <summary>The pipeline; the delegates are static lambdas, so a request allocates no closure.</summary>
    private async ValueTask<Result<TResult>> ServeAsync<TRequest, TResult>(
        TRequest request,
        string model,
        string? routingKey,
        string? region,
        string? requestId,
        IReadOnlyDictionary<string, FeatureValue>? features,
        Func<RequestExecutor, TRequest, WarmSession, ServedRequest, Result<TResult>> run,
        Func<TRequest, string, int, ShadowWork> mirror,
        CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var routed = router.Route(model, routingKey, region);
        if (!routed.IsSuccess)
        {
            return routed.Error;
        }

        var (decision, session, _) = routed.Value;
        try
        {
            var served = new ServedRequest(
                requestId ?? recent.NewId(), model, decision.Version, decision.Arm, session.Version.Encoder?.Spec, routingKey, region, features, start);
            if (await faults.InjectAsync(model, session.Version.Version, served, cancellationToken) is { } injected)
            {
                return injected;
            }

            var answer = run(executor, request, session, served);
            if (answer.IsSuccess && decision.Mirror && decision.MirrorVersion is { } mirrorVersion)
            {
                mirrors.Offer(mirror(request, served.RequestId, mirrorVersion));
            }

            return answer;
        }
        finally
        {
            session.Release();
        }
    }
}
