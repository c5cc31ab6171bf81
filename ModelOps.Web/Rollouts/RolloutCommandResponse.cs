namespace ModelOps.Web.Rollouts;

/// <summary>The rollout after a command; <see cref="Changed"/> false when it was already done (e.g. a second rollback).</summary>
public sealed record RolloutCommandResponse(RolloutView Rollout, bool Changed, string Detail);
