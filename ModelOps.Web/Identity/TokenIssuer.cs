using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ModelOps.Core.Identity;

namespace ModelOps.Web.Identity;

/// <summary>
/// Issues bearer tokens: an authentication ticket protected with the app's data-protection
/// keys (persisted under the data directory, so tokens survive a restart). The bearer handler
/// rejects a ticket past its <c>ExpiresUtc</c>.
/// </summary>
public sealed class TokenIssuer(
    SignInManager<ModelOpsUser> signInManager,
    IOptionsMonitor<BearerTokenOptions> bearerOptions,
    IOptions<AccessOptions> access,
    TimeProvider time)
{
    public async Task<TokenResponse> IssueAsync(ModelOpsUser user)
    {
        var principal = await signInManager.CreateUserPrincipalAsync(user);
        var now = time.GetUtcNow();
        var expiresAt = now + access.Value.TokenLifetime;
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = expiresAt };
        var ticket = new AuthenticationTicket(principal, properties, IdentityConstants.BearerScheme);
        var token = bearerOptions.Get(IdentityConstants.BearerScheme).BearerTokenProtector.Protect(ticket);
        var roles = principal.FindAll(principal.Identities.First().RoleClaimType).Select(c => c.Value).Order().ToArray();
        return new TokenResponse(token, expiresAt, roles);
    }
}
