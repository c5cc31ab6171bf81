namespace ModelOps.Web.Serving;

public sealed record SnapshotRequest(string? Reason);
