using System.Security.Claims;
using ModelOps.Core.Common;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Requests;
using ModelOps.Web.Hosting;
using ModelOps.Web.Identity;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// The people's side of a rollout (api-contract.md, Rollouts): an Approver decides a soft
/// trigger (never the rollout's initiator), a Reviewer flags logged predictions of the candidate
/// as systematically wrong, an Operator flags a training dataset as corrupted. Each flag raises
/// an approval on the affected active rollouts; all of it is audited.
/// </summary>
public static class RolloutDecisionEndpoints
{
    /// <summary>A spot check names at most this many request ids.</summary>
    public const int MaxFlaggedRequests = SpotChecks.MaxFlaggedRequests;

    public static IEndpointRouteBuilder MapRolloutDecisionEndpoints(this IEndpointRouteBuilder app)
    {
        var rollouts = app.MapGroup("/api/rollouts").WithTags("Rollouts");
        rollouts.MapPost("/{id}/approvals/{approvalId}", DecideAsync).RequireAuthorization(Policies.Approver);
        rollouts.MapPost("/{id}/flags", FlagPredictionsAsync).RequireAuthorization(Policies.Reviewer);
        app.MapPost("/api/datasets/{hash}/flag", FlagDatasetAsync).RequireAuthorization(Policies.Operator).WithTags("Rollouts");
        app.MapGet("/api/datasets/{hash}", GetDatasetAsync).RequireAuthorization(Policies.Reviewer).WithTags("Rollouts");
        return app;
    }

    private static async Task<IResult> DecideAsync(
        string id, string approvalId, ApprovalDecisionRequest? body, RolloutApprovals approvals, ITrafficRouter router, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var decided = await approvals.DecideAsync(id, approvalId, body?.Decision, body?.Reason, user.Identity?.Name ?? "unknown", cancellationToken);
        if (!decided.IsSuccess)
        {
            return decided.Error.ToProblem();
        }

        var (approval, rollout, transition) = decided.Value;
        var live = RolloutStates.IsActive(rollout.State) ? router.Current(rollout.Model) : null;
        return TypedResults.Ok(new ApprovalDecisionResponse(ApprovalView.From(approval), RolloutView.From(rollout, live, await approvals.ListAsync(rollout.Id, cancellationToken)), transition.Detail));
    }

    private static async Task<IResult> FlagPredictionsAsync(string id, SpotCheckRequest? body, SpotChecks spotChecks, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var raised = await spotChecks.FlagAsync(id, body?.RequestIds, body?.Note, user.Identity?.Name ?? "unknown", cancellationToken);
        return raised.IsSuccess ? TypedResults.Ok(ApprovalView.From(raised.Value)) : raised.Error.ToProblem();
    }

    private static async Task<IResult> FlagDatasetAsync(string hash, DatasetFlagRequest? body, DatasetFlags flags, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var flagged = await flags.FlagAsync(hash, body?.Reason, user.Identity?.Name ?? "unknown", cancellationToken);
        if (!flagged.IsSuccess)
        {
            return flagged.Error.ToProblem();
        }

        var (flag, created, triggered) = flagged.Value;
        return TypedResults.Ok(new DatasetFlagResponse(flag.Hash, flag.Reason, flag.FlaggedBy, flag.FlaggedAt, created,
            created ? $"Flagged; preflight refuses candidates trained on it, and {triggered.Count} active rollout(s) got a soft trigger." : "Already flagged; nothing changed.",
            triggered));
    }

    private static async Task<IResult> GetDatasetAsync(string hash, DatasetFlags flags, CancellationToken cancellationToken) =>
        await flags.FindAsync(hash, cancellationToken) is { } flag
            ? TypedResults.Ok(new DatasetFlagResponse(flag.Hash, flag.Reason, flag.FlaggedBy, flag.FlaggedAt, false, "Flagged as corrupted.", []))
            : Error.NotFound($"Dataset {hash} is not flagged.").ToProblem();
}

public sealed record ApprovalDecisionRequest(string? Decision, string? Reason);

public sealed record ApprovalDecisionResponse(ApprovalView Approval, RolloutView Rollout, string Detail);

public sealed record SpotCheckRequest(IReadOnlyList<string>? RequestIds, string? Note);

public sealed record DatasetFlagRequest(string? Reason);

public sealed record DatasetFlagResponse(string Hash, string Reason, string FlaggedBy, DateTimeOffset FlaggedAt, bool Changed, string Detail, IReadOnlyList<string> RolloutsTriggered);
