namespace ModelOps.Core.Rollouts.Preflight;

/// <summary>One preflight check as the contract shows it; <see cref="Detail"/> says what was found and, when not ok, what to fix.</summary>
public sealed record PreflightCheck(string Name, bool Ok, string Detail);
