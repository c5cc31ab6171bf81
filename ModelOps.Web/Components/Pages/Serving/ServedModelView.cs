namespace ModelOps.Web.Components.Pages.Serving;

/// <summary>Everything the serving page shows about one model; <see cref="Routing"/> is null when no table is live.</summary>
public sealed record ServedModelView(string Model, RoutingView? Routing, IReadOnlyList<VersionRow> Versions);
