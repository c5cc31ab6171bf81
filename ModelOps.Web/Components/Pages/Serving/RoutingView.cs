namespace ModelOps.Web.Components.Pages.Serving;

/// <summary>A routing table as the serving page shows it; weights read "v2 → 100 %".</summary>
public sealed record RoutingView(
    long Generation,
    IReadOnlyList<string> DefaultWeights,
    IReadOnlyList<KeyValuePair<string, string>> RegionOverrides,
    string Shadow,
    string Baseline,
    string Candidate);
