using ModelOps.Web.Rollouts;

namespace ModelOps.Web.Components.Pages.Approvals;

/// <summary>What a card asks the page to do: <c>revert</c> or <c>continue</c> one approval, with the reason typed.</summary>
public sealed record ApprovalDecision(ApprovalItem Item, string Decision, string Reason);
