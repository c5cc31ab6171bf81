namespace ModelOps.Core.Identity;

/// <summary>The four roles of the contract.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Operator = "Operator";
    public const string Approver = "Approver";
    public const string Reviewer = "Reviewer";

    public static readonly IReadOnlyList<string> All = [Admin, Operator, Approver, Reviewer];
}
