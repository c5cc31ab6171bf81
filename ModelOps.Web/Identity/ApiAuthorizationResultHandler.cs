using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using ModelOps.Core.Audit;

namespace ModelOps.Web.Identity;

/// <summary>
/// API callers get 401/403 as problem+json instead of a login redirect, and every denial of
/// an authenticated caller is audited (console and API alike).
/// </summary>
internal sealed class ApiAuthorizationResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            var trail = context.RequestServices.GetRequiredService<AuditTrail>();
            var required = string.Join(", ", policy.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles));
            await trail.AppendAsync(
                new AuditRecord(
                    context.User.Identity?.Name ?? "unknown",
                    "authz.denied",
                    $"{context.Request.Method} {context.Request.Path}",
                    new { requiredRoles = required }),
                context.RequestAborted);
        }

        if (!IsApi(context) || authorizeResult.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var (status, detail) = authorizeResult.Forbidden
            ? (StatusCodes.Status403Forbidden, "Your roles do not allow this action. Ask an Admin for the role this route requires.")
            : (StatusCodes.Status401Unauthorized, "Missing or invalid bearer token. Get one from POST /api/auth/token and send 'Authorization: Bearer <token>'.");
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = detail, Title = status == 401 ? "Unauthorized" : "Forbidden" },
        });
    }

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");
}
