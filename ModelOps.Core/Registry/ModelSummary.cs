using ModelOps.Core.Rollouts.Stability;

namespace ModelOps.Core.Registry;

/// <summary>A registered model as <c>GET /api/models</c> lists it; <see cref="ChronicallyFailing"/> is null unless it keeps being rolled back.</summary>
public sealed record ModelSummary(string Name, IReadOnlyDictionary<string, int> Aliases, int? LatestVersion, ChronicFailure? ChronicallyFailing);
