using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Audit;
using ModelOps.Core.Incidents;
using ModelOps.Core.Incidents.Series;
using ModelOps.Core.Incidents.Verification;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Console;

/// <summary>
/// An incident written to the real store as the engine and the verification job leave it (the row,
/// its audit rows on the timeline, its series buckets and, once verified, the result), so console
/// pages read it through the same IncidentViews as the API.
/// </summary>
internal static class IncidentSeed
{
    public static readonly DateTimeOffset Decided = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    public static Task<string> AddAsync(ConsoleServices console, string verification, string model = "ctr-ranker", string trigger = "manual") =>
        AddAsync(console, verification, model, trigger, IncidentStates.Open);

    public static async Task<string> AddAsync(ConsoleServices console, string verification, string model, string trigger, string status)
    {
        var id = $"inc-{Guid.NewGuid():N}"[..16];
        await console.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ModelOpsDbContext>();
            db.Add(new Incident
            {
                Id = id,
                RolloutId = $"ro-{id}",
                Model = model,
                FromVersion = 3,
                ToVersion = 2,
                TriggerKind = trigger,
                TriggeredBy = trigger == "manual" ? "operator" : "modelops-judge",
                TriggerReason = "p95 latency doubled after the 25 % step",
                EvidenceJson = Evidence(),
                OpenedAt = Decided,
                Status = status,
                VerificationStatus = verification,
                VerificationCheckedAt = verification == IncidentStates.VerificationPending ? null : Decided.AddMinutes(5),
                VerificationJson = verification == IncidentStates.VerificationPending ? null : Result(verification),
                ClosedAt = status == IncidentStates.Closed ? Decided.AddMinutes(30) : null,
                ClosedBy = status == IncidentStates.Closed ? "reviewer" : null,
                RootCause = status == IncidentStates.Closed ? "a slow feature join" : null,
                ConcurrencyToken = Guid.NewGuid(),
            });
            var rollout = RolloutRows.RolledBack(model, Decided, trigger);
            rollout.Id = $"ro-{id}";
            db.Add(rollout);
            db.AddRange(Enumerable.Range(-6, 12).SelectMany(i => new[] { Bucket(id, "candidate", 3, i, 180), Bucket(id, "baseline", 2, i, 40) }));
            await db.SaveChangesAsync();
            var trail = sp.GetRequiredService<AuditTrail>();
            await trail.AppendAsync(new AuditRecord("operator", "rollout.rolledBack", Incident.AuditTarget(id), new { reason = "p95 latency doubled" }, model), CancellationToken.None);
            await trail.AppendAsync(new AuditRecord("modelops-verifier", "incident.verified", Incident.AuditTarget(id), new { status = verification }, model), CancellationToken.None);
        });
        return id;
    }

    private static string Evidence() => JsonSerializer.Serialize(new
    {
        stepIndex = 1,
        stateAtDecision = "progressing",
        verdicts = new[]
        {
            new { metric = "latency_p95", status = "fail", baseline = 40.0, candidate = 180.0, limit = 100.0, effect = 140.0, ciLow = 120.0, ciHigh = 160.0, pValue = 0.001, reason = "p95 above limit" },
        },
        artifacts = new { candidateDigest = "sha256:cand1234", targetDigest = "sha256:targ5678", candidateEncoder = "ctr-features v2", targetEncoder = "ctr-features v1", calibrationSnapshotId = "cal-42" },
        routingBefore = new { generation = 7, weights = new[] { new { version = 2, percent = 75.0 }, new { version = 3, percent = 25.0 } } },
    }, JsonSerializerOptions.Web);

    private static string Result(string status) => JsonSerializer.Serialize(
        new VerificationResult(
            status,
            status == IncidentStates.Recovered ? "Every guardrail holds on the rollback target." : "latency_p95 still above its limit on the rollback target.",
            "absolute",
            Decided.AddMinutes(1),
            Decided.AddMinutes(5),
            [new VerificationCheck(0, GuardrailMetric.LatencyP95, "limit 100", true, "below", 100, status == IncidentStates.Recovered ? 41 : 175, 40, 1200, 10, 10, status == IncidentStates.Recovered ? CheckOutcome.Pass : CheckOutcome.Fail, "p95 of the window")]),
        JudgeRecord.JsonOptions);

    private static IncidentSeriesBucket Bucket(string id, string arm, int version, int step, double p95) => new()
    {
        IncidentId = id,
        Arm = arm,
        Version = version,
        At = Decided.AddSeconds(step * 5),
        Seconds = 5,
        Requests = 100,
        Errors = arm == "candidate" ? 2 : 0,
        LatencyP95Ms = p95,
        LatencyP99Ms = p95 * 1.2,
        KpiSum = 4,
        KpiCount = 80,
    };
}
