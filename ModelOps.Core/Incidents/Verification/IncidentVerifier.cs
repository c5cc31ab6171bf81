using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ModelOps.Core.Audit;
using ModelOps.Core.Incidents.Series;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Incidents.Verification;

/// <summary>
/// One run of an incident's post-rollback verification (its Quartz job calls it every gate
/// interval): copies the series buckets completed since the last run, records the baseline arm's
/// values during the rollout once the buckets before the decision are in, and the routing table
/// once traffic is restored; when the window has ended, decides (<see cref="VerificationDecision"/>)
/// and records the result with one <c>incident.verified</c> audit row. A window that ended while the
/// process was down is decided at the first run after start, on the buckets copied before.
/// </summary>
public sealed partial class IncidentVerifier(
    ModelOpsDbContext db, AuditTrail trail, IncidentSeriesRecorder series, ITrafficRouter router, TimeProvider time, ILogger<IncidentVerifier> logger)
{
    public const string Actor = "modelops-verifier";

    /// <summary>How far before the decision the series reaches back, at most (the metrics store's default horizon).</summary>
    public static readonly TimeSpan SeriesLookback = TimeSpan.FromMinutes(15);

    /// <summary>Incidents still to verify whose rollback has been decided (rolling back or rolled back).</summary>
    public async Task<IReadOnlyList<string>> DueAsync(CancellationToken cancellationToken)
    {
        var pending = await db.Set<Incident>().AsNoTracking()
            .Where(i => i.VerificationStatus == IncidentStates.VerificationPending && i.Status == IncidentStates.Open)
            .Select(i => new { i.Id, i.RolloutId }).ToListAsync(cancellationToken);
        var rolloutIds = pending.Select(p => p.RolloutId).ToList();
        var decided = await db.Set<Rollout>().AsNoTracking()
            .Where(r => rolloutIds.Contains(r.Id) && (r.State == RolloutStates.RolledBack || r.State == RolloutStates.RollingBack))
            .Select(r => r.Id).ToListAsync(cancellationToken);
        return [.. pending.Where(p => decided.Contains(p.RolloutId)).Select(p => p.Id)];
    }

    /// <summary>One run; false once the verification has a result (or there is nothing to verify), so the job can stop.</summary>
    public async Task<bool> RunAsync(string incidentId, CancellationToken cancellationToken)
    {
        var incident = await db.Set<Incident>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == incidentId, cancellationToken);
        if (incident is not { VerificationStatus: IncidentStates.VerificationPending })
        {
            return false;
        }

        var rollout = await db.Set<Rollout>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == incident.RolloutId, cancellationToken);
        var now = time.GetUtcNow();
        if (rollout is null || RolloutPlanJson.Read(rollout.PlanJson) is not { } plan)
        {
            await RecordAsync(incident, new VerificationResult(IncidentStates.NotRecovered,
                $"cannot verify: rollout {incident.RolloutId} or its plan cannot be read; verify by hand.", "none", now, now, []), now, cancellationToken);
            return false;
        }

        var watch = await db.Set<IncidentWatch>().SingleOrDefaultAsync(w => w.IncidentId == incidentId, cancellationToken);
        if (watch is null)
        {
            watch = Open(incident, rollout, plan);
            db.Add(watch);
        }

        (DateTimeOffset From, DateTimeOffset To)? window = rollout.State == RolloutStates.RolledBack
            ? VerificationDecision.Window(rollout.EndedAt ?? watch.DecidedAt, watch.WindowSeconds)
            : null;
        series.Append(watch, window is { } w && w.To < now ? w.To : now);
        await SaveAsync(watch, cancellationToken);
        await RecordBaselineAsync(watch, plan, cancellationToken);
        if (rollout.State == RolloutStates.RolledBack && watch.RoutingAfterJson is null
            && router.Current(rollout.Model) is { } live && !live.RoutableVersions.Contains(rollout.CandidateVersion))
        {
            watch.RoutingAfterJson = RoutingTableDocument.From(live).ToJson();
        }

        await SaveAsync(watch, cancellationToken);
        if (window is not { } ended || now < ended.To)
        {
            return true;
        }

        var result = await DecideAsync(incident, watch, plan, ended, cancellationToken);
        await RecordAsync(incident, result, now, cancellationToken);
        return false;
    }

    private async Task SaveAsync(IncidentWatch watch, CancellationToken cancellationToken)
    {
        if (db.ChangeTracker.HasChanges())
        {
            watch.ConcurrencyToken = Guid.NewGuid();
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>A new watch: the series from the rollout's start or <see cref="SeriesLookback"/> before the decision, whichever is later.</summary>
    public static IncidentWatch Open(Incident incident, Rollout rollout, RolloutPlan plan)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(plan);
        var decidedAt = rollout.DecidedAt ?? incident.OpenedAt;
        var lookback = decidedAt - SeriesLookback;
        var from = IncidentSeriesRecorder.Floor(rollout.StartedAt > lookback ? rollout.StartedAt : lookback);
        return new IncidentWatch
        {
            IncidentId = incident.Id,
            Model = incident.Model,
            TargetVersion = incident.ToVersion,
            CandidateVersion = incident.FromVersion,
            DecidedAt = decidedAt,
            SeriesFrom = from,
            SeriesThrough = from,
            WindowSeconds = plan.VerificationSeconds,
        };
    }

    /// <summary>Once every bucket before the decision is copied: the baseline arm's values during the rollout, per guardrail.</summary>
    private async Task RecordBaselineAsync(IncidentWatch watch, RolloutPlan plan, CancellationToken cancellationToken)
    {
        var decided = IncidentSeriesRecorder.Floor(watch.DecidedAt);
        if (watch.BaselineJson is not null || watch.SeriesThrough < decided)
        {
            return;
        }

        var buckets = await TargetBucketsAsync(watch, watch.SeriesFrom, decided, cancellationToken);
        watch.BaselineJson = JsonSerializer.Serialize(VerificationDecision.Baselines(plan.Guardrails, buckets, watch.SeriesFrom, decided, plan.VerificationSeconds), JudgeRecord.JsonOptions);
    }

    private async Task<VerificationResult> DecideAsync(Incident incident, IncidentWatch watch, RolloutPlan plan, (DateTimeOffset From, DateTimeOffset To) window, CancellationToken cancellationToken)
    {
        var evidence = IncidentRecorder.ReadEvidence(incident.EvidenceJson);
        var approvalGuardrail = evidence?.ApprovalId is { } approvalId ? await ApprovalGuardrailAsync(approvalId, cancellationToken) : null;
        var tripped = VerificationDecision.Tripped(plan.Guardrails, evidence?.Verdicts ?? [], approvalGuardrail);
        var (guardrails, basis) = VerificationDecision.Select(plan.Guardrails, tripped);
        var baselines = ReadBaselines(watch.BaselineJson);
        var target = await TargetBucketsAsync(watch, window.From, window.To, cancellationToken);
        return VerificationDecision.Decide(guardrails, basis, baselines, target, window.From, window.To);
    }

    private async Task RecordAsync(Incident incident, VerificationResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(result, JudgeRecord.JsonOptions);
        var recorded = await trail.ExecuteAsync<string>(async ct =>
        {
            var tracked = await db.Set<Incident>().SingleAsync(i => i.Id == incident.Id, ct);
            if (tracked.VerificationStatus != IncidentStates.VerificationPending)
            {
                return Common.Error.Conflict($"Incident {incident.Id} was verified meanwhile ({tracked.VerificationStatus}).");
            }

            tracked.VerificationStatus = result.Status;
            tracked.VerificationCheckedAt = now;
            tracked.VerificationJson = json;
            tracked.ConcurrencyToken = Guid.NewGuid();
            var checks = result.Checks.Select(c => new { metric = c.Metric.ToWire(), c.Bound, c.Comparison, c.Expected, c.Observed, c.Samples, pass = c.Pass });
            return new AuditedChange<string>(result.Status, new AuditRecord(Actor, "incident.verified", Incident.AuditTarget(incident.Id),
                new { status = result.Status, escalated = result.Escalated, reason = result.Reason, basis = result.Basis, rolloutId = incident.RolloutId, windowFrom = result.WindowFrom, windowTo = result.WindowTo, checks },
                incident.Model));
        }, cancellationToken);
        Log.Verified(logger, incident.Id, recorded.IsSuccess ? result.Status : recorded.Error.Detail, result.Reason);
    }

    private async Task<IReadOnlyList<SeriesBucket>> TargetBucketsAsync(IncidentWatch watch, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var arm = ArmNames.ToWire(Arm.Baseline);
        var rows = await db.Set<IncidentSeriesBucket>().AsNoTracking()
            .Where(b => b.IncidentId == watch.IncidentId && b.Arm == arm && b.Version == watch.TargetVersion && b.At >= from && b.At < to)
            .OrderBy(b => b.At).ToListAsync(cancellationToken);
        return [.. rows.Select(b => b.ToBucket())];
    }

    private async Task<int?> ApprovalGuardrailAsync(string approvalId, CancellationToken cancellationToken)
    {
        var approval = await db.Set<RolloutApproval>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == approvalId, cancellationToken);
        return approval is { Kind: ApprovalKinds.Guardrail } && GuardrailEvidence.Read(approval.EvidenceJson) is { } evidence ? evidence.Guardrail : null;
    }

    /// <summary>The baseline values a watch recorded; empty when none were (every threshold check then lacks its reference).</summary>
    public static IReadOnlyList<GuardrailBaseline> ReadBaselines(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<GuardrailBaseline>>(json, JudgeRecord.JsonOptions) ?? [];

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId}: verification {Status}: {Reason}")]
        public static partial void Verified(ILogger logger, string incidentId, string status, string reason);
    }
}
