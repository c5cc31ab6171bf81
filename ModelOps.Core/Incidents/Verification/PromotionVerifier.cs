using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Audit;
using ModelOps.Core.Common;
using ModelOps.Core.Incidents.Series;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Incidents.Verification;

/// <summary>
/// Post-promotion verification, run by the rollout sweep every gate interval. A promotion ends the
/// judge's comparison, so for the plan's verification window after it the promoted version is held
/// to the same checks a rollback where nothing tripped is (<see cref="VerificationDecision.Select"/>:
/// every hard guardrail the series can measure — limits in every judged bucket, thresholds against
/// the previous champion's values during the rollout, recorded when the watch opens). A failed
/// check opens an incident (trigger <c>verification</c>, its verification the failed result, so it
/// can be reviewed and closed) in the same audited transaction; the outbox notifies it. Too little
/// traffic to check is recorded as <c>unverified</c> without an incident: an idle model after a
/// promotion is not evidence of a fault, and the judge already refused to promote on thin data.
/// </summary>
public sealed class PromotionVerifier(
    ModelOpsDbContext db, AuditTrail trail, IncidentRecorder incidents, PromotionEvidence evidence, ITrafficRouter router, TimeProvider time)
{
    /// <summary>The store's last one-second bucket of the window is complete this long after it.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    /// <summary>One sweep: opens the watches of new promotions, decides those whose window has ended; returns the decisions (rollout, status, reason).</summary>
    public async Task<IReadOnlyList<(string RolloutId, string Status, string Reason)>> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await OpenWatchesAsync(now, cancellationToken);
        var pending = await db.Set<PromotionWatch>().AsNoTracking().Where(w => w.Status == PromotionVerificationStates.Pending).ToListAsync(cancellationToken);
        var decided = new List<(string, string, string)>();
        foreach (var watch in pending)
        {
            var window = VerificationDecision.Window(watch.PromotedAt, watch.WindowSeconds);
            if (now < window.To + Settle || await PlanJsonAsync(watch.RolloutId, cancellationToken) is not { } planJson || RolloutPlanJson.Read(planJson) is not { } plan)
            {
                continue;
            }

            var (guardrails, _) = VerificationDecision.Select(plan.Guardrails, new HashSet<int>());
            var target = evidence.Baseline(watch.Model, watch.PromotedVersion, window.From, window.To);
            var result = VerificationDecision.Decide(guardrails, "after the promotion: every hard guardrail", IncidentVerifier.ReadBaselines(watch.BaselineJson), target, window.From, window.To);
            var status = result.Status == IncidentStates.Recovered ? PromotionVerificationStates.Held
                : result.Checks.Any(c => c.Outcome == CheckOutcome.Fail) ? PromotionVerificationStates.Failed
                : PromotionVerificationStates.Unverified;
            var recorded = await RecordAsync(watch.RolloutId, status, result, now, cancellationToken);
            decided.Add((watch.RolloutId, recorded.IsSuccess ? recorded.Value : recorded.Error.Detail, result.Reason));
        }

        return decided;
    }

    /// <summary>A watch for every promotion of the last <see cref="IncidentVerifier.SeriesLookback"/> that has none, with the previous champion's values during the rollout.</summary>
    private async Task OpenWatchesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now - IncidentVerifier.SeriesLookback;
        var promoted = await db.Set<Rollout>().AsNoTracking()
            .Where(r => r.State == RolloutStates.Promoted && r.EndedAt >= since && !db.Set<PromotionWatch>().Any(w => w.RolloutId == r.Id))
            .ToListAsync(cancellationToken);
        foreach (var rollout in promoted)
        {
            if (RolloutPlanJson.Read(rollout.PlanJson) is not { } plan || rollout.EndedAt is not { } promotedAt)
            {
                continue;
            }

            var to = IncidentSeriesRecorder.Floor(promotedAt);
            var lookback = promotedAt - IncidentVerifier.SeriesLookback;
            var from = IncidentSeriesRecorder.Floor(rollout.StartedAt > lookback ? rollout.StartedAt : lookback);
            var baseline = evidence.Baseline(rollout.Model, rollout.BaselineVersion, from, to);
            db.Add(new PromotionWatch
            {
                RolloutId = rollout.Id,
                Model = rollout.Model,
                PromotedVersion = rollout.CandidateVersion,
                PreviousVersion = rollout.BaselineVersion,
                PromotedAt = promotedAt,
                WindowSeconds = plan.VerificationSeconds,
                BaselineJson = JsonSerializer.Serialize(VerificationDecision.Baselines(plan.Guardrails, baseline, from, to, plan.VerificationSeconds), JudgeRecord.JsonOptions),
                Status = PromotionVerificationStates.Pending,
                ConcurrencyToken = Guid.NewGuid(),
            });
        }

        if (promoted.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private Task<string?> PlanJsonAsync(string rolloutId, CancellationToken cancellationToken) =>
        db.Set<Rollout>().AsNoTracking().Where(r => r.Id == rolloutId).Select(r => r.PlanJson).SingleOrDefaultAsync(cancellationToken);

    private async Task<Result<string>> RecordAsync(string rolloutId, string status, VerificationResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(result, JudgeRecord.JsonOptions);
        var checks = result.Checks.Select(c => new { metric = c.Metric.ToWire(), c.Bound, c.Comparison, c.Expected, c.Observed, c.Baseline, c.Samples, pass = c.Pass });
        return await trail.ExecuteAsync<string>(async ct =>
        {
            var watch = await db.Set<PromotionWatch>().SingleAsync(w => w.RolloutId == rolloutId, ct);
            if (watch.Status != PromotionVerificationStates.Pending)
            {
                return Error.Conflict($"The promotion of {rolloutId} was verified meanwhile ({watch.Status}).");
            }

            watch.Status = status;
            watch.CheckedAt = now;
            watch.ResultJson = json;
            watch.ConcurrencyToken = Guid.NewGuid();
            if (status != PromotionVerificationStates.Failed)
            {
                return new AuditedChange<string>(status, new AuditRecord(IncidentVerifier.Actor, "promotion.verified", Rollout.AuditTarget(rolloutId),
                    new { status, reason = result.Reason, version = watch.PromotedVersion, windowFrom = result.WindowFrom, windowTo = result.WindowTo, checks }, watch.Model));
            }

            var rollout = await db.Set<Rollout>().SingleAsync(r => r.Id == rolloutId, ct);
            var reason = $"v{watch.PromotedVersion} did not hold after its promotion (verification window {result.WindowFrom:HH:mm:ss}–{result.WindowTo:HH:mm:ss}): {result.Reason}";
            var incident = await incidents.OpenAsync(rollout, new RollbackTrigger(RollbackTrigger.Kinds.Verification, IncidentVerifier.Actor, reason), router.Current(rollout.Model), now, ct);
            incident.VerificationStatus = IncidentStates.NotRecovered;
            incident.VerificationCheckedAt = now;
            incident.VerificationJson = json;
            await evidence.AddAsync(incident.Id, rollout, watch, result.WindowTo, ct);
            watch.IncidentId = incident.Id;
            rollout.IncidentId ??= incident.Id;
            return new AuditedChange<string>(status, new AuditRecord(IncidentVerifier.Actor, "incident.opened", Incident.AuditTarget(incident.Id),
                new { trigger = RollbackTrigger.Kinds.Verification, rolloutId, reason, version = watch.PromotedVersion, previousVersion = watch.PreviousVersion, checks }, watch.Model));
        }, cancellationToken);
    }
}
