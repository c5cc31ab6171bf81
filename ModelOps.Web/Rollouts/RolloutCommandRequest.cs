namespace ModelOps.Web.Rollouts;

/// <summary>The body of rollback, promote, pause and resume: why (required for rollback and promote).</summary>
public sealed record RolloutCommandRequest(string? Reason);
