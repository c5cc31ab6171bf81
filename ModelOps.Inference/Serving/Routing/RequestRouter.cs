using Microsoft.Extensions.Logging;
using ModelOps.Core.Common;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Inference.Serving.Routing;

/// <summary>
/// Picks the version for one request from the live routing snapshot (read once) and leases its
/// warm session. A routed version that is not healthy is never run: the table's baseline
/// answers instead (a fallback, counted here and recorded on the routed arm by the caller), or,
/// with no healthy baseline, the request gets 503. While the replica is in the degraded mode the
/// table comes from <see cref="LocalRoutingOverride"/> (the candidate's share on the rollback target).
/// </summary>
public sealed partial class RequestRouter(RoutingTableHolder holder, LocalRoutingOverride overrides, SessionPool pool, Random random, ILogger<RequestRouter> logger)
{
    private long _fallbacks;

    /// <summary>Requests answered by the baseline because the routed version was not healthy.</summary>
    public long Fallbacks => Interlocked.Read(ref _fallbacks);

    public Result<RoutedRequest> Route(string model, string? routingKey, string? region)
    {
        var table = overrides.Serve(holder.Current(model));
        if (table is null)
        {
            return TrafficRouter.NotServed(model);
        }

        // With a routing key the stable hash decides, so the shared random source is not touched.
        double draw = 0;
        double mirrorDraw = 0;
        if (string.IsNullOrEmpty(routingKey))
        {
            lock (random)
            {
                draw = random.NextDouble();
                mirrorDraw = random.NextDouble();
            }
        }

        var decision = RouteSelector.Select(table, routingKey, region, draw, mirrorDraw);
        if (Lease(model, decision.Version) is { } session)
        {
            return new RoutedRequest(decision, session, FellBack: false);
        }

        if (table.BaselineVersion is { } baseline && baseline != decision.Version && Lease(model, baseline) is { } fallback)
        {
            Interlocked.Increment(ref _fallbacks);
            Log.FellBack(logger, model, decision.Version, baseline);
            return new RoutedRequest(decision, fallback, FellBack: true);
        }

        return Error.Unavailable($"{model} v{decision.Version} is not warm or failed its health check, and no healthy baseline can answer; see GET /v2/models/{model}/ready.");
    }

    /// <summary>The healthy session of a version, leased; null when it is not warm or not healthy.</summary>
    public WarmSession? Lease(string model, int version) =>
        pool.FindHealthy(model, version) is { } session && session.TryAcquire() ? session : null;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "{Model} v{Version} is not healthy; answered by baseline v{Baseline}")]
        public static partial void FellBack(ILogger logger, string model, int version, int baseline);
    }
}
