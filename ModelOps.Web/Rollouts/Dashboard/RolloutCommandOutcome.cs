using ModelOps.Core.Common;

namespace ModelOps.Web.Rollouts.Dashboard;

/// <summary>
/// What an operator's command from the console came to: done (<see cref="Changed"/> false when it
/// was already done, e.g. a second rollback), or refused with the same <see cref="Error"/> the API
/// would answer with (forbidden, conflict, invalid reason).
/// </summary>
public sealed record RolloutCommandOutcome(bool Succeeded, bool Changed, string Detail, ErrorKind? Error = null, RolloutView? Rollout = null)
{
    public static RolloutCommandOutcome Refused(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(false, false, error.Detail, error.Kind);
    }
}
