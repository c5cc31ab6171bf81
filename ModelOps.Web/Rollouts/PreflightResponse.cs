using ModelOps.Core.Rollouts.Preflight;

namespace ModelOps.Web.Rollouts;

public sealed record PreflightResponse(IReadOnlyList<PreflightCheck> Checks);
