namespace ModelOps.Web.Registry;

public sealed record MoveAliasRequest(int? Version, string? Reason);
