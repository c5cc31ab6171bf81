using ModelOps.Core.Rollouts.Plans;

namespace ModelOps.Core.GameDays;

/// <summary>
/// The body of <c>POST /api/gamedays</c>. <see cref="Plan"/> overrides the drill's default plan
/// field by field (a field given replaces the default's; <c>model</c> and <c>candidateVersion</c>
/// come from the top level). Everything is optional here so a missing field is a 400 naming it.
/// </summary>
public sealed record GameDayRequest(string? Model, int? Version, GameDayFault? Fault, RolloutRequest? Plan);
