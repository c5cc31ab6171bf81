using ModelOps.Core.Identity;

namespace ModelOps.Web.Identity;

/// <summary>Named policies shared by the console and the API, so both enforce the same rules.</summary>
public static class Policies
{
    public const string Admin = nameof(Admin);
    public const string Operator = nameof(Operator);
    public const string Approver = nameof(Approver);
    public const string Reviewer = nameof(Reviewer);

    public static void Configure(Microsoft.AspNetCore.Authorization.AuthorizationBuilder builder) => builder
        .AddPolicy(Admin, p => p.RequireRole(Roles.Admin))
        .AddPolicy(Operator, p => p.RequireRole(Roles.Operator, Roles.Admin))
        .AddPolicy(Approver, p => p.RequireRole(Roles.Approver, Roles.Admin))
        .AddPolicy(Reviewer, p => p.RequireRole(Roles.Reviewer, Roles.Operator, Roles.Approver, Roles.Admin));
}
