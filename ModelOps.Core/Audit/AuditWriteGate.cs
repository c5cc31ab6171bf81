using ModelOps.Core.Persistence;

namespace ModelOps.Core.Audit;

/// <summary>
/// Serialises every audited transaction in this process (a DI singleton). The chain needs a
/// total order: two writers reading the same head would fork it. SQLite allows one writer at
/// a time anyway, so this costs no throughput there. On PostgreSQL, where several replicas share
/// the chain, <see cref="AuditChainLock"/> serialises them too; this gate stays so a replica's
/// own writers wait here rather than each holding a database connection while they queue.
/// An urgent flow (a rollback, <see cref="Urgent"/>) goes ahead: while one is in progress, other
/// writers hold back before queueing here (<see cref="WritePriority"/>).
/// </summary>
public sealed class AuditWriteGate(WritePriority? priority = null) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (priority is not null)
        {
            await priority.WaitTurnAsync(cancellationToken);
        }

        await _gate.WaitAsync(cancellationToken);
        return new Releaser(_gate);
    }

    /// <summary>Marks the calling flow's writes urgent until disposed; a no-op without a <see cref="WritePriority"/>.</summary>
    public IDisposable Urgent() => priority?.BeginUrgent() ?? NoScope.Instance;

    public void Dispose() => _gate.Dispose();

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();

        public void Dispose()
        {
        }
    }
}
