using System.Security.Claims;
using ModelOps.Core.Identity;
using ModelOps.Core.Incidents;
using ModelOps.Web.Incidents;

namespace ModelOps.Web.Components.Pages.Incidents;

/// <summary>
/// What a role may do on an incident page, with the reason when it may not. The same rules as the
/// API: closing is the Reviewer's or Operator's (api-contract.md, and Admin's), a replay is queued or
/// cancelled by a Reviewer, Operator or Admin (ReplayEndpoints); nothing here moves traffic.
/// </summary>
public static class IncidentAccess
{
    public static readonly IReadOnlyList<string> CloseRoles = [Roles.Reviewer, Roles.Operator, Roles.Admin];

    public static readonly IReadOnlyList<string> ReplayRoles = [Roles.Reviewer, Roles.Operator, Roles.Admin];

    public static bool MayClose(ClaimsPrincipal user) => CloseRoles.Any(user.IsInRole);

    public static bool MayReplay(ClaimsPrincipal user) => ReplayRoles.Any(user.IsInRole);

    /// <summary>Why this person cannot close this incident now; null when they can.</summary>
    public static string? CloseRefusal(IncidentView view, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(user);
        if (view.Status == IncidentStates.Closed)
        {
            return $"Closed by {view.ClosedBy} at {view.ClosedAt:u}.";
        }

        if (!MayClose(user))
        {
            return "Closing an incident needs the Reviewer or Operator role.";
        }

        return view.Verification.Status == IncidentStates.VerificationPending
            ? "Closing waits for the post-rollback verification to have a result: until it does, nobody knows whether the rollback restored the service, and a root cause written now could be wrong."
            : null;
    }
}
