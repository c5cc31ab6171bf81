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
        .AddPolicy(Admin, p => p.RequireRole(RolesOf(Admin)))
        .AddPolicy(Operator, p => p.RequireRole(RolesOf(Operator)))
        .AddPolicy(Approver, p => p.RequireRole(RolesOf(Approver)))
        .AddPolicy(Reviewer, p => p.RequireRole(RolesOf(Reviewer)));

    /// <summary>The roles a policy admits, the role it is named after first (the console names it on a denied page).</summary>
    public static IReadOnlyList<string> RolesOf(string policy) => policy switch
    {
        Admin => [Roles.Admin],
        Operator => [Roles.Operator, Roles.Admin],
        Approver => [Roles.Approver, Roles.Admin],
        Reviewer => [Roles.Reviewer, Roles.Operator, Roles.Approver, Roles.Admin],
        _ => [],
    };
}
