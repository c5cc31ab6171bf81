namespace ModelOps.Core.Audit;

/// <summary>
/// Serialises every audited transaction in this process (a DI singleton). The chain needs a
/// total order: two writers reading the same head would fork it. SQLite allows one writer at
/// a time anyway, so this costs no throughput there. On PostgreSQL, where several replicas share
/// the chain, <see cref="AuditChainLock"/> serialises them too; this gate stays so a replica's
/// own writers wait here rather than each holding a database connection while they queue.
/// </summary>
public sealed class AuditWriteGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        return new Releaser(_gate);
    }

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
}
