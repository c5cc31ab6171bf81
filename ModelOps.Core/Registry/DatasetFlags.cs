using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Audit;
using ModelOps.Core.Common;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;

namespace ModelOps.Core.Registry;

/// <summary>
/// Flags a training dataset hash as corrupted: preflight refuses candidates trained on it from
/// then on, and every active rollout whose candidate was trained on it gets a soft trigger (an
/// approval). Flagging the same hash twice changes nothing and says so.
/// </summary>
public sealed class DatasetFlags(ModelOpsDbContext db, AuditTrail trail, RolloutApprovals approvals, TimeProvider time)
{
    public async Task<Result<DatasetFlagOutcome>> FlagAsync(string hash, string? reason, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(hash) || hash.Length > 200)
        {
            return Error.Invalid("hash", "The dataset hash in the path is empty or longer than 200 characters; use the datasetHash registered with the versions.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Error.Invalid("reason", "\"reason\" is missing: say what is wrong with the dataset, for the approvers and the audit log.");
        }

        var flagged = await trail.ExecuteAsync<(FlaggedDataset, bool)>(async ct =>
        {
            var existing = await db.Set<FlaggedDataset>().SingleOrDefaultAsync(d => d.Hash == hash, ct);
            if (existing is not null)
            {
                return new AuditedChange<(FlaggedDataset, bool)>((existing, false), null);
            }

            var flag = new FlaggedDataset { Hash = hash, Reason = reason, FlaggedBy = actor, FlaggedAt = time.GetUtcNow() };
            db.Add(flag);
            return new AuditedChange<(FlaggedDataset, bool)>((flag, true), new AuditRecord(actor, "dataset.flagged", $"dataset:{hash}", new { reason }));
        }, cancellationToken);
        if (!flagged.IsSuccess)
        {
            return flagged.Error;
        }

        var (stored, created) = flagged.Value;
        var affected = await (
            from r in db.Set<Rollout>().AsNoTracking()
            join v in db.Set<ModelVersion>().AsNoTracking() on new { r.Model, Version = r.CandidateVersion } equals new { v.Model, v.Version }
            where v.DatasetHash == hash && RolloutStates.Active.Contains(r.State) && r.State != RolloutStates.RollingBack
            select r.Id).ToListAsync(cancellationToken);
        var raised = new List<string>();
        foreach (var rolloutId in created ? affected : [])
        {
            var approval = await approvals.RaiseAsync(rolloutId, new ApprovalRequest(ApprovalKinds.DatasetFlag, actor,
                $"the candidate was trained on dataset {hash}, flagged as corrupted by {actor}: {reason}", new { hash, reason, flaggedBy = actor }), cancellationToken);
            if (approval.IsSuccess)
            {
                raised.Add(rolloutId);
            }
        }

        return new DatasetFlagOutcome(stored, created, raised);
    }

    public Task<FlaggedDataset?> FindAsync(string hash, CancellationToken cancellationToken) =>
        db.Set<FlaggedDataset>().AsNoTracking().SingleOrDefaultAsync(d => d.Hash == hash, cancellationToken);
}

public sealed record DatasetFlagOutcome(FlaggedDataset Flag, bool Created, IReadOnlyList<string> RolloutsTriggered);
