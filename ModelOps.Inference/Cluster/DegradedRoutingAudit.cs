using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelOps.Core;
using ModelOps.Core.Audit;
using ModelOps.Core.Cluster;
using ModelOps.Core.Rollouts;
using ModelOps.Inference.Serving.Routing;

namespace ModelOps.Inference.Cluster;

/// <summary>
/// Audits each spell of degraded routing once the database is back (it could not be written
/// while it lasted): one <c>cluster.degradedRouting</c> row per rollout on the rollout's audit
/// target, naming the replica, the versions and the spell's start and end. Spells are kept in a
/// file in the data directory (<see cref="FileName"/>) from the moment they begin until their row
/// commits, so a replica killed during a spell, or before its row was written, audits it after its
/// next start, once it reaches the database: with no end (the replica stopped before the database
/// came back) for a spell that was still going on. A row that fails to commit stays pending and is
/// tried again after the next successful probe.
/// </summary>
public sealed partial class DegradedRoutingAudit
{
    public const string Action = "cluster.degradedRouting";

    public const string Actor = "modelops-replica";

    public const string FileName = "degraded-routing-spells.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IServiceScopeFactory _scopes;
    private readonly ReplicaIdentity _replica;
    private readonly ILogger<DegradedRoutingAudit> _logger;
    private readonly string _path;
    private readonly Lock _gate = new();
    private readonly List<Spell> _spells;

    public DegradedRoutingAudit(IServiceScopeFactory scopes, ReplicaIdentity replica, IOptions<ModelOpsOptions> options, ILogger<DegradedRoutingAudit> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _scopes = scopes;
        _replica = replica;
        _logger = logger;
        _path = Path.Combine(options.Value.ResolveDataDirectory(), FileName);
        _spells = Load();
        if (_spells.Count > 0)
        {
            Log.Carried(_logger, _spells.Count, _path);
        }
    }

    /// <summary>A spell began: kept on disk at once, so a replica killed during it still audits it.</summary>
    public void Began(DegradedServing serving)
    {
        ArgumentNullException.ThrowIfNull(serving);
        lock (_gate)
        {
            _spells.Add(Spell.Of(serving, _replica.InstanceId));
            Save();
        }
    }

    public void Ended(IEnumerable<DegradedServing> spells, DateTimeOffset endedAt)
    {
        ArgumentNullException.ThrowIfNull(spells);
        lock (_gate)
        {
            foreach (var serving in spells)
            {
                var begun = Spell.Of(serving, _replica.InstanceId);
                var index = _spells.FindIndex(s => s.To is null && s.SameAs(begun));
                if (index >= 0)
                {
                    _spells[index] = _spells[index] with { To = endedAt };
                }
                else
                {
                    _spells.Add(begun with { To = endedAt });
                }
            }

            Save();
        }
    }

    /// <summary>Writes every spell that has ended, and those a previous run of this replica left open (it stopped during them).</summary>
    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        while (NextToWrite() is { } spell)
        {
            await using var scope = _scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AuditTrail>().AppendAsync(spell.ToRecord(), cancellationToken);
            Log.Audited(_logger, spell.Target);
            lock (_gate)
            {
                _spells.Remove(spell);
                Save();
            }
        }
    }

    private Spell? NextToWrite()
    {
        lock (_gate)
        {
            return _spells.Find(s => s.To is not null || s.FromEarlierRun);
        }
    }

    private List<Spell> Load()
    {
        try
        {
            // Whatever a previous run left open ended when it stopped: it is audited as such, not resumed.
            return File.Exists(_path)
                ? [.. (JsonSerializer.Deserialize<List<Spell>>(File.ReadAllText(_path), Json) ?? []).Select(s => s with { FromEarlierRun = true })]
                : [];
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            Log.Unreadable(_logger, _path, e);
            return [];
        }
    }

    /// <summary>Replaces the file atomically (write, then rename); an empty list removes it. Called under the gate.</summary>
    private void Save()
    {
        try
        {
            if (_spells.Count == 0)
            {
                File.Delete(_path);
                return;
            }

            var temporary = _path + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(_spells, Json));
            File.Move(temporary, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Serving must not stop over it: the spell is still audited if this process lives until the database is back.
            Log.NotSaved(_logger, _path, e);
        }
    }

    internal sealed record Spell(
        string RolloutId, string Model, int CandidateVersion, int RollbackTarget, long Generation, string Instance, DateTimeOffset From, DateTimeOffset? To, bool FromEarlierRun = false)
    {
        public string Target => Rollout.AuditTarget(RolloutId);

        public static Spell Of(DegradedServing serving, string instance)
        {
            var rollout = serving.Route.Rollout;
            return new(rollout.RolloutId, rollout.Model, rollout.CandidateVersion, rollout.RollbackTarget, serving.Route.Table.Generation, instance, serving.Since, null);
        }

        public bool SameAs(Spell other) => RolloutId == other.RolloutId && Generation == other.Generation && From == other.From;

        public AuditRecord ToRecord() => new(
            Actor,
            Action,
            Target,
            new
            {
                instance = Instance,
                candidateVersion = CandidateVersion,
                rollbackTarget = RollbackTarget,
                generation = Generation,
                from = From,
                to = To,
                reason = To is null
                    ? "database unreachable for longer than ModelOps:Cluster:DatabaseOutageSeconds: the candidate's share was served by the rollback target on this replica only, until the replica stopped before the database came back (end unknown)"
                    : "database unreachable for longer than ModelOps:Cluster:DatabaseOutageSeconds: the candidate's share was served by the rollback target on this replica only",
            },
            Model);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Degraded routing spell audited on {Target}")]
        public static partial void Audited(ILogger logger, string target);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} degraded routing spell(s) from a previous run are pending in {Path}; they are audited once the database answers")]
        public static partial void Carried(ILogger logger, int count, string path);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Degraded routing spells could not be read from {Path}; they are not audited")]
        public static partial void Unreadable(ILogger logger, string path, Exception exception);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Degraded routing spells could not be saved to {Path}; a spell is audited only if this process lives until the database is back")]
        public static partial void NotSaved(ILogger logger, string path, Exception exception);
    }
}
