namespace ModelOps.Core.Identity;

public sealed record UserSummary(string UserName, IReadOnlyList<string> Roles, bool LockedOut);
