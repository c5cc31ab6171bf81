using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ModelOps.Core.Audit;

/// <summary>
/// Serialises audited transactions across processes: on PostgreSQL, where several replicas write
/// one chain, each audited transaction takes one transaction-scoped advisory lock before it reads
/// anything, so no two replicas read the same head and fork the chain; it is released at commit or
/// rollback. Under READ COMMITTED every statement after the lock sees what the previous holder
/// committed. SQLite needs nothing: one process owns the file and the gate already serialises it.
/// </summary>
public static class AuditChainLock
{
    /// <summary>The advisory lock's key: "ModelOps" in ASCII as a bigint, unlikely to clash with another application's key.</summary>
    public const long Key = 5579788850106953843;

    /// <summary>Takes the lock in the current transaction (blocks until the other holder commits).</summary>
    public static async Task TakeAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.IsNpgsql())
        {
            await database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [Key], cancellationToken);
        }
    }
}
