namespace ModelOps.Web.Identity;

public sealed record TokenResponse(string Token, DateTimeOffset ExpiresAt, IReadOnlyList<string> Roles);
