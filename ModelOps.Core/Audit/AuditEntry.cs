namespace ModelOps.Core.Audit;

/// <summary>
/// One row of the append-only audit chain. Invariant: <c>Hash = sha256(PrevHash + canonical row)</c>
/// and <c>PrevHash</c> equals the previous row's hash (<see cref="AuditHasher.Genesis"/> for the first).
/// The application inserts rows and never updates or deletes them.
/// </summary>
public sealed class AuditEntry
{
    // Column lengths (PostgreSQL enforces them; SQLite does not). AuditTrail clips to them, so
    // an oversized login name or request path is recorded rather than failing the request.
    public const int ActorMaxLength = 256;
    public const int ActionMaxLength = 128;
    public const int TargetMaxLength = 512;
    public const int ModelMaxLength = 128;

    public long Seq { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Actor { get; set; }

    public required string Action { get; set; }

    public required string Target { get; set; }

    /// <summary>The model the action concerns, for filtering; null when none.</summary>
    public string? Model { get; set; }

    public required string Details { get; set; }

    public required string PrevHash { get; set; }

    public required string Hash { get; set; }
}
