using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using ModelOps.Core.Audit;
using ModelOps.Core.Identity;
using SignInResult = Microsoft.AspNetCore.Identity.SignInResult;

namespace ModelOps.Web.Identity;

public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", IssueTokenAsync).AllowAnonymous().WithTags("Auth");
        var account = app.MapGroup("/account").WithTags("Account");
        account.MapPost("/login", LogInAsync).AllowAnonymous();
        account.MapPost("/logout", LogOutAsync).RequireAuthorization();
        return app;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueTokenAsync(
        TokenRequest request,
        UserManager<ModelOpsUser> users,
        SignInManager<ModelOpsUser> signIn,
        TokenIssuer issuer,
        AuditTrail trail,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.Problem(
                "Both 'username' and 'password' are required, e.g. {\"username\":\"operator\",\"password\":\"...\"}.",
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid request");
        }

        var user = await users.FindByNameAsync(request.Username);
        var outcome = user is null ? SignInResult.Failed : await signIn.CheckPasswordSignInAsync(user, request.Password, lockoutOnFailure: true);
        if (user is null || !outcome.Succeeded)
        {
            await AuditFailureAsync(trail, request.Username, "api", outcome, cancellationToken);
            return TypedResults.Problem(
                outcome.IsLockedOut
                    ? "Too many failed attempts: this account is locked for a few minutes. Try again later."
                    : "Unknown user name or wrong password.",
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized");
        }

        return TypedResults.Ok(await issuer.IssueAsync(user));
    }

    private static async Task<RedirectHttpResult> LogInAsync(
        [FromForm] string? username,
        [FromForm] string? password,
        [FromForm] string? returnUrl,
        SignInManager<ModelOpsUser> signIn,
        AuditTrail trail,
        CancellationToken cancellationToken)
    {
        var target = IsLocal(returnUrl) ? returnUrl! : "/"; // IsLocal rejects null.
        if (string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password))
        {
            return TypedResults.LocalRedirect($"/login?error=missing&returnUrl={Uri.EscapeDataString(target)}");
        }

        var outcome = await signIn.PasswordSignInAsync(username, password, isPersistent: false, lockoutOnFailure: true);
        if (!outcome.Succeeded)
        {
            await AuditFailureAsync(trail, username, "console", outcome, cancellationToken);
            var reason = outcome.IsLockedOut ? "locked" : "invalid";
            return TypedResults.LocalRedirect($"/login?error={reason}&returnUrl={Uri.EscapeDataString(target)}");
        }

        return TypedResults.LocalRedirect(target);
    }

    private static async Task<RedirectHttpResult> LogOutAsync(SignInManager<ModelOpsUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect("/login");
    }

    private static Task AuditFailureAsync(AuditTrail trail, string username, string channel, SignInResult outcome, CancellationToken cancellationToken) =>
        trail.AppendAsync(
            new AuditRecord(username, "auth.login_failed", $"user:{username}", new { channel, lockedOut = outcome.IsLockedOut }),
            cancellationToken);

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
