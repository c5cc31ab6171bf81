using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using ModelOps.Core.Cluster;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Inference.Cluster;

/// <summary>
/// Turns the watch's probes into what this replica serves. While the database answers it only
/// remembers the active rollouts. Once it has not answered for longer than the outage threshold,
/// each active rollout's model is served from <see cref="DegradedRouting"/>'s table (locally only,
/// logged as a warning; a target not healthy here is left out, so the mode never turns answers
/// into 503s). When the database answers again it first follows the database's tables (whatever was
/// decided meanwhile, on any replica, wins), then drops the overrides and hands their audit rows
/// to <see cref="DegradedRoutingAudit"/>. Called from the watch's one loop only.
/// </summary>
public sealed partial class DegradedRoutingSwitch(
    LocalRoutingOverride overrides,
    RoutingTableHolder holder,
    SessionPool pool,
    RoutingFollower follower,
    DegradedRoutingAudit audit,
    ILogger<DegradedRoutingSwitch> logger)
{
    private IReadOnlyList<ActiveRolloutRoute> _rollouts = [];

    /// <summary>The process started with the database reachable (start-up migrated it).</summary>
    public void Start(DateTimeOffset now) => overrides.Report(new DatabaseContact(true, now));

    public async Task ReachedAsync(IReadOnlyList<ActiveRolloutRoute> rollouts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _rollouts = rollouts;
        var ended = overrides.Routes;
        if (overrides.Contact is { Reachable: false } contact)
        {
            Log.Reached(logger, (now - contact.LastReachedAt).TotalSeconds);
        }

        if (!ended.IsEmpty)
        {
            // By generation, at once: the tables the database holds now replace the overrides' bases.
            await follower.CatchUpAsync(null, cancellationToken);
            var left = overrides.Replace(ended.Clear(), now);
            foreach (var serving in left)
            {
                Log.Left(logger, serving.Route.Rollout.Model, serving.Route.Rollout.RolloutId, (now - serving.Since).TotalSeconds);
            }

            audit.Ended(left, now);
        }

        overrides.Report(new DatabaseContact(true, now));
        await audit.WriteAsync(cancellationToken);
    }

    public void Unreached(DateTimeOffset now, TimeSpan threshold)
    {
        var contact = overrides.Contact is { } last ? last with { Reachable = false } : new DatabaseContact(false, now);
        if (overrides.Contact?.Reachable != false)
        {
            Log.Lost(logger, threshold.TotalSeconds);
        }

        overrides.Report(contact);
        var before = overrides.Routes;
        var after = before.Clear().ToBuilder();
        foreach (var route in DegradedRouting.Decide(contact, now, threshold, _rollouts, holder.Snapshot()))
        {
            var (model, target) = (route.Rollout.Model, route.Rollout.RollbackTarget);
            if (pool.FindHealthy(model, target) is null)
            {
                Log.TargetNotHealthy(logger, model, target);
                continue;
            }

            // The same rollout on the same live generation is the same spell: it keeps its start.
            var kept = before.TryGetValue(model, out var serving) && serving.Route.Rollout == route.Rollout && serving.Route.Table.Generation == route.Table.Generation;
            after[model] = kept ? serving! : new DegradedServing(route, now); // kept implies found
            if (!kept)
            {
                audit.Began(after[model]);
                Log.Entered(logger, model, route.Rollout.RolloutId, target, route.Rollout.CandidateVersion, contact.UnreachableFor(now).TotalSeconds);
            }
        }

        // A spell dropped or replaced while still unreachable (its target no longer healthy here) ended now.
        var dropped = overrides.Replace(after.ToImmutable(), now);
        if (dropped.Count > 0)
        {
            audit.Ended(dropped, now);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Database unreachable for {Seconds:F1} s: {Model} now served locally with rollout {RolloutId}'s candidate v{Candidate} share on its rollback target v{Target} (not written to the database)")]
        public static partial void Entered(ILogger logger, string model, string rolloutId, int target, int candidate, double seconds);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Database unreachable: {Model}'s rollback target v{Target} is not healthy here, so its live table stays in force")]
        public static partial void TargetNotHealthy(ILogger logger, string model, int target);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Database unreachable; serving carries on, and active rollouts' candidates are routed to their rollback targets here if it lasts over {Seconds} s")]
        public static partial void Lost(ILogger logger, double seconds);

        [LoggerMessage(Level = LogLevel.Information, Message = "Database reachable again after {Seconds:F1} s")]
        public static partial void Reached(ILogger logger, double seconds);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Degraded routing of {Model} (rollout {RolloutId}) ended after {Seconds:F1} s; following the database's table again")]
        public static partial void Left(ILogger logger, string model, string rolloutId, double seconds);
    }
}
