using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelOps.Core.Audit;
using ModelOps.Core.Cluster;
using ModelOps.Core.Rollouts;
using ModelOps.Inference.Serving.Routing;

namespace ModelOps.Inference.Cluster;

/// <summary>
/// Audits each spell of degraded routing once the database is back (it could not be written
/// while it lasted): one <c>cluster.degradedRouting</c> row per rollout on the rollout's audit
/// target, naming the replica, the versions and the spell's start and end. A row that fails to
/// commit stays pending and is tried again after the next successful probe. Pending rows live in
/// memory only: a replica killed before the database came back leaves its spell in its logs alone.
/// </summary>
public sealed partial class DegradedRoutingAudit(IServiceScopeFactory scopes, ReplicaIdentity replica, ILogger<DegradedRoutingAudit> logger)
{
    public const string Action = "cluster.degradedRouting";

    public const string Actor = "modelops-replica";

    private readonly List<AuditRecord> _pending = [];

    public void Ended(IEnumerable<DegradedServing> spells, DateTimeOffset endedAt)
    {
        ArgumentNullException.ThrowIfNull(spells);
        foreach (var spell in spells)
        {
            var rollout = spell.Route.Rollout;
            _pending.Add(new AuditRecord(
                Actor,
                Action,
                Rollout.AuditTarget(rollout.RolloutId),
                new
                {
                    instance = replica.InstanceId,
                    candidateVersion = rollout.CandidateVersion,
                    rollbackTarget = rollout.RollbackTarget,
                    generation = spell.Route.Table.Generation,
                    from = spell.Since,
                    to = endedAt,
                    reason = "database unreachable for longer than ModelOps:Cluster:DatabaseOutageSeconds: the candidate's share was served by the rollback target on this replica only",
                },
                rollout.Model));
        }
    }

    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        while (_pending.Count > 0)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AuditTrail>().AppendAsync(_pending[0], cancellationToken);
            Log.Audited(logger, _pending[0].Target);
            _pending.RemoveAt(0);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Degraded routing spell audited on {Target}")]
        public static partial void Audited(ILogger logger, string target);
    }
}
