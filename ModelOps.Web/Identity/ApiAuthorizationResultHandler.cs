using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using ModelOps.Core.Audit;

namespace ModelOps.Web.Identity;

/// <summary>
/// API callers get 401/403 as problem+json instead of a login redirect, and every denial of
/// an authenticated caller is audited (console and API alike). A signed-in person denied a console
/// page gets the page's own route with status 403: the router's AuthorizeRouteView refuses it again
/// and renders the console's page naming the role it needs (the cookie's forbid would redirect to a
/// path nothing serves, which answered a bare problem+json 404).
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

        if (authorizeResult.Forbidden && IsComponentPage(context))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await next(context);
            return;
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

    /// <summary>A routable Razor component (a console page): its router checks the page's policy itself, so passing it on renders no content it guards.</summary>
    private static bool IsComponentPage(HttpContext context) =>
        !IsApi(context) && context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null;
}
