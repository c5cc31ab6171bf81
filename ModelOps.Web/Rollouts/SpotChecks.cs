using ModelOps.Core.Common;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Inference.Serving.Requests;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// A Reviewer's spot check: logged predictions of a rollout's candidate flagged as systematically
/// wrong raise a soft trigger (an approval) on the rollout, audited by <see cref="RolloutApprovals"/>.
/// Used by <c>POST /api/rollouts/{id}/flags</c> and the console's flags page alike.
/// </summary>
public sealed class SpotChecks(RolloutService rollouts, RolloutApprovals approvals, RequestLookup lookup)
{
    /// <summary>A spot check names at most this many request ids.</summary>
    public const int MaxFlaggedRequests = 1_000;

    public async Task<Result<RolloutApproval>> FlagAsync(string rolloutId, IReadOnlyList<string>? requestIds, string? note, string actor, CancellationToken cancellationToken)
    {
        if (requestIds is not { Count: > 0 } ids || ids.Count > MaxFlaggedRequests)
        {
            return Error.Invalid("requestIds", $"\"requestIds\" must list 1 to {MaxFlaggedRequests} logged request ids of the candidate's predictions you checked.");
        }

        if (string.IsNullOrWhiteSpace(note))
        {
            return Error.Invalid("note", "\"note\" is missing: say what is systematically wrong with these predictions.");
        }

        if (await rollouts.FindAsync(rolloutId, cancellationToken) is not { } rollout)
        {
            return RolloutErrors.NotFound(rolloutId);
        }

        var unknown = new List<string>();
        var notCandidate = new List<string>();
        foreach (var requestId in ids.Distinct(StringComparer.Ordinal))
        {
            var found = string.IsNullOrEmpty(requestId) ? null : await lookup.FindAsync(requestId, cancellationToken);
            if (found is null)
            {
                unknown.Add(requestId ?? "(null)");
            }
            else if (found.Model != rollout.Model || found.Version != rollout.CandidateVersion)
            {
                notCandidate.Add(requestId);
            }
        }

        if (unknown.Count > 0 || notCandidate.Count > 0)
        {
            var detail = (unknown.Count > 0 ? $"Not in the inference log: {string.Join(", ", unknown.Take(10))}. " : string.Empty)
                + (notCandidate.Count > 0 ? $"Not served by candidate v{rollout.CandidateVersion} of '{rollout.Model}': {string.Join(", ", notCandidate.Take(10))}. " : string.Empty)
                + "Flag only logged predictions of this rollout's candidate.";
            return Error.Invalid("requestIds", detail);
        }

        return await approvals.RaiseAsync(rolloutId, new ApprovalRequest(ApprovalKinds.SpotCheck, actor,
            $"{actor} flagged {ids.Count} logged prediction(s) of v{rollout.CandidateVersion} as systematically wrong: {note}", new { requestIds = ids, note }), cancellationToken);
    }
}
