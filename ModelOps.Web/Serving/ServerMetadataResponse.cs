namespace ModelOps.Web.Serving;

/// <summary>The Open Inference Protocol's server metadata (<c>GET /v2</c>).</summary>
public sealed record ServerMetadataResponse(string Name, string Version, IReadOnlyList<string> Extensions);
