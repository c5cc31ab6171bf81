namespace ModelOps.Core.Audit;

/// <summary>
/// Told, in this process, right after a change and its audit row have committed (never inside
/// the transaction, never for a change that was rolled back): e.g. the console's live dashboards
/// read again at once instead of at their next poll. Must return quickly and not throw.
/// </summary>
public interface IAuditCommitListener
{
    void Committed(AuditRecord record);
}
