namespace ModelOps.Web.GameDays;

/// <summary>The 202 body of <c>POST /api/gamedays</c>.</summary>
public sealed record GameDayStarted(string Id, string RolloutId);
