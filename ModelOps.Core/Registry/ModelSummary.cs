namespace ModelOps.Core.Registry;

public sealed record ModelSummary(string Name, IReadOnlyDictionary<string, int> Aliases, int? LatestVersion);
