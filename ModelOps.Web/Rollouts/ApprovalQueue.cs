using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// The console's approvals queue: every pending soft trigger with its rollout and evidence, oldest
/// first, and the most recently decided ones below, newest first. Reads only; deciding goes
/// through <see cref="RolloutApprovals.DecideAsync"/> as the API does.
/// </summary>
public sealed class ApprovalQueue(ModelOpsDbContext db)
{
    public async Task<ApprovalBoard> LoadAsync(int decidedLimit, CancellationToken cancellationToken)
    {
        var pending = await ItemsAsync(db.Set<RolloutApproval>().AsNoTracking().Where(a => a.Status == ApprovalStatuses.Pending), cancellationToken);
        var decided = await ItemsAsync(db.Set<RolloutApproval>().AsNoTracking().Where(a => a.Status != ApprovalStatuses.Pending), cancellationToken);
        return new ApprovalBoard(
            [.. pending.OrderBy(i => i.Approval.RaisedAt)],
            [.. decided.OrderByDescending(i => i.Approval.DecidedAt ?? i.Approval.RaisedAt).Take(decidedLimit)]);
    }

    private async Task<List<ApprovalItem>> ItemsAsync(IQueryable<RolloutApproval> approvals, CancellationToken cancellationToken)
    {
        var rows = await (
            from a in approvals
            join r in db.Set<Rollout>().AsNoTracking() on a.RolloutId equals r.Id
            select new { Approval = a, r.Model, r.CandidateVersion, r.BaselineVersion, r.State, r.StartedBy }).ToListAsync(cancellationToken);
        return [.. rows.Select(row => new ApprovalItem(
            ApprovalView.From(row.Approval), row.Approval.RolloutId, row.Model, row.CandidateVersion, row.BaselineVersion, row.State, row.StartedBy,
            row.Approval.Kind == ApprovalKinds.Guardrail ? GuardrailEvidence.Read(row.Approval.EvidenceJson) : null))];
    }
}

/// <summary>Pending approvals (oldest first) and recently decided ones (newest first).</summary>
public sealed record ApprovalBoard(IReadOnlyList<ApprovalItem> Pending, IReadOnlyList<ApprovalItem> Decided);

/// <summary>
/// One approval with what a person needs to decide it: the rollout (model, candidate, baseline,
/// state, who started it) and, for a soft guardrail, the verdict that tripped it.
/// </summary>
public sealed record ApprovalItem(
    ApprovalView Approval,
    string RolloutId,
    string Model,
    int CandidateVersion,
    int BaselineVersion,
    string RolloutState,
    string StartedBy,
    GuardrailEvidence? Guardrail)
{
    /// <summary>
    /// Whether <paramref name="user"/> may decide it, and if not, why (shown beside the disabled
    /// buttons). The rules are the API's: an Approver, never the rollout's initiator.
    /// </summary>
    public DecisionRight RightOf(string? user, bool isApprover)
    {
        if (Approval.Status != ApprovalStatuses.Pending)
        {
            return new DecisionRight(false, $"Already decided: {Approval.Status}.");
        }

        if (!isApprover)
        {
            return new DecisionRight(false, "Only an Approver may decide soft triggers; your roles may look but not decide.");
        }

        return string.Equals(user, StartedBy, StringComparison.Ordinal)
            ? new DecisionRight(false, "You started this rollout; another approver must decide.")
            : new DecisionRight(true, null);
    }
}

/// <summary>May the user decide, and when not, the reason in words.</summary>
public sealed record DecisionRight(bool CanDecide, string? Reason);
