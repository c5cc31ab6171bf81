namespace ModelOps.Inference.Serving.Sessions;

/// <summary>What the serving page and readiness report about one loaded version.</summary>
public sealed record SessionState(
    string Model,
    int Version,
    string Digest,
    string? Encoder,
    SessionHealth Health,
    string? Problem,
    DateTimeOffset LoadedAt,
    DateTimeOffset? LastCheckedAt,
    int ActiveLeases,
    bool Wanted,
    DateTimeOffset? RetiresAt);
