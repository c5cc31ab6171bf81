namespace ModelOps.Web.Serving;

public sealed record PrewarmResult(string Model, int Version, int Added);
