namespace ModelOps.Core.Registry;

public sealed record AliasMoveView(int Version, DateTimeOffset MovedAt, string MovedBy, string Reason);
