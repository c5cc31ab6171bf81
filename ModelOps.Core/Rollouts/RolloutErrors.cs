using ModelOps.Core.Common;

namespace ModelOps.Core.Rollouts;

/// <summary>The answer for a rollout id that does not exist, said the same way everywhere.</summary>
public static class RolloutErrors
{
    public static Error NotFound(string id) => Error.NotFound($"No rollout '{id}'; GET /api/rollouts lists them.");
}
