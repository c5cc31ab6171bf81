using System.Data.Common;
using ModelOps.Core.Rollouts.Monitoring;
using ModelOps.Inference.Cluster;
using ModelOps.Inference.Serving.Chaos;
using ModelOps.Inference.Serving.Metrics;

namespace ModelOps.Web.Metrics;

public static partial class MetricsEndpoints
{
    /// <summary>Anonymous, as Prometheus scrapes without credentials; it exposes counts, never payloads.</summary>
    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", ScrapeAsync).AllowAnonymous().WithTags("Metrics");
        return app;
    }

    private static async Task<ContentHttpResult> ScrapeAsync(
        ServingMetricsStore store, ChaosBoard chaos, ServingExposition serving, IServiceScopeFactory scopes, ReplicaJudging judging, DegradedRoutingExposition degraded, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var rolloutMetrics = await RolloutMetricsAsync(scopes, degraded, loggers, cancellationToken);
        return TypedResults.Text(
            PrometheusTextWriter.Write(
                store.Totals(),
                writer => PrometheusTextWriter.WriteGauge(writer, "modelops_chaos_faults_active", "Game-day faults currently injected (POST /api/chaos).", chaos.All().Count),
                serving.Write,
                writer =>
                {
                    if (rolloutMetrics is not null)
                    {
                        RolloutExposition.Write(writer, rolloutMetrics);
                    }
                },
                writer => ReplicaJudgingExposition.Write(writer, judging),
                degraded.Write),
            PrometheusTextWriter.ContentType);
    }

    /// <summary>
    /// The rollout families come from the database: a replica that cannot reach it leaves them out
    /// (its serving families and the degraded mode's are what matter then) rather than failing the scrape.
    /// The read is given <see cref="DatabaseReachabilityWatch.ProbeTimeout"/> and runs in a scope of its
    /// own, not the request's: on a link that drops packets the driver can hang well past its token
    /// (opening a connection, or closing one mid-read), and a request scope holding that read would
    /// hold the HTTP connection with it, so a scraper's next request on it would hang too.
    /// </summary>
    private static async Task<RolloutMetrics?> RolloutMetricsAsync(IServiceScopeFactory scopes, DegradedRoutingExposition degraded, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!degraded.DatabaseReachable)
        {
            return null;
        }

        try
        {
            return await DetachedRead.RunAsync(scopes, DatabaseReachabilityWatch.ProbeTimeout, (services, ct) => services.GetRequiredService<RolloutMetricsQuery>().ReadAsync(ct), CancellationToken.None)
                .WaitAsync(DatabaseReachabilityWatch.ProbeTimeout, cancellationToken);
        }
        catch (Exception e) when (LeftOut(e, cancellationToken))
        {
            Log.RolloutsLeftOut(loggers.CreateLogger(typeof(MetricsEndpoints).FullName!), e); // a type always has a full name here
            return null;
        }
    }

    /// <summary>The database failed or did not answer in time; not the scraper going away.</summary>
    private static bool LeftOut(Exception e, CancellationToken request) =>
        e is DbException or TimeoutException or InvalidOperationException { InnerException: DbException }
        || (e is OperationCanceledException && !request.IsCancellationRequested);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "The rollout families were left out of /metrics: the database could not be read")]
        public static partial void RolloutsLeftOut(ILogger logger, Exception exception);
    }
}
