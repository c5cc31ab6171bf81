using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using ModelOps.Core.Audit;

namespace ModelOps.Web.Identity;

/// <summary>
/// The console's server-side check before a mutating action: a button a role may not use is
/// hidden or disabled, but a circuit event can still arrive, so the handler asks again with the
/// same policy the API uses and audits a denial as the API does (<c>authz.denied</c>).
/// </summary>
public static class ConsoleGuard
{
    public static async Task<bool> AllowsAsync(
        IAuthorizationService authorization, IServiceScopeFactory scopes, ClaimsPrincipal user, string policy, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        ArgumentNullException.ThrowIfNull(scopes);
        if ((await authorization.AuthorizeAsync(user, policy)).Succeeded)
        {
            return true;
        }

        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AuditTrail>().AppendAsync(
            new AuditRecord(user.Identity?.Name ?? "unknown", "authz.denied", $"console {action}", new { requiredRoles = string.Join(", ", Policies.RolesOf(policy)) }), cancellationToken);
        return false;
    }
}
