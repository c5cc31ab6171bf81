namespace ModelOps.Core.Persistence;

/// <summary>
/// Who goes first at the main SQLite database's single write lock. A rollback marks its decision
/// and its routing write urgent (<see cref="BeginUrgent"/>); while any urgent flow is in progress,
/// other writers of this process hold back before they take the lock (<see cref="WaitTurnAsync"/>,
/// called by <see cref="SqliteWriteTurns"/>), so the rollback waits at most for the one
/// transaction already holding it — not for the stream of verification, replay and evidence
/// writes of earlier incidents that would otherwise keep winning SQLite's busy-handler race.
/// A writer already inside its transaction is never held (it holds the lock the urgent flow
/// needs), and no writer is held longer than <see cref="MaxWait"/>, so a burst of urgent flows
/// delays background work but cannot starve it. On PostgreSQL (row locks, no single write lock)
/// only the audit gate's order applies, within each replica: the statement hold is SQLite-only.
/// </summary>
public sealed class WritePriority
{
    /// <summary>The longest a non-urgent write is held back before it goes anyway.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private static readonly AsyncLocal<bool> UrgentFlow = new();
    private readonly Lock _gate = new();
    private int _urgent;
    private TaskCompletionSource _clear = Cleared();

    /// <summary>Whether the calling flow is urgent (its writes are never held).</summary>
    public static bool InUrgentFlow => UrgentFlow.Value;

    /// <summary>Urgent flows in progress now.</summary>
    public int Urgent
    {
        get
        {
            lock (_gate)
            {
                return _urgent;
            }
        }
    }

    /// <summary>Marks the calling flow urgent until the returned scope is disposed.</summary>
    public IDisposable BeginUrgent()
    {
        lock (_gate)
        {
            if (_urgent++ == 0)
            {
                _clear = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        var outer = UrgentFlow.Value;
        UrgentFlow.Value = true;
        return new Scope(this, outer);
    }

    /// <summary>
    /// Completes at once for an urgent flow or when none is in progress; otherwise when the last
    /// urgent flow ends, or after <see cref="MaxWait"/>.
    /// </summary>
    public Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        if (UrgentFlow.Value)
        {
            return Task.CompletedTask;
        }

        var clear = Clear();
        return clear.IsCompleted ? Task.CompletedTask : WaitAsync(clear, cancellationToken);
    }

    /// <summary>The blocking form, for EF Core's synchronous calls.</summary>
    public void WaitTurn()
    {
        if (!UrgentFlow.Value)
        {
            Clear().Wait(MaxWait);
        }
    }

    /// <summary>Completes when no urgent flow is in progress.</summary>
    private Task Clear()
    {
        lock (_gate)
        {
            return _clear.Task;
        }
    }

    private static async Task WaitAsync(Task clear, CancellationToken cancellationToken)
    {
        try
        {
            await clear.WaitAsync(MaxWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Held long enough: go anyway.
        }
    }

    private void End()
    {
        lock (_gate)
        {
            if (--_urgent == 0)
            {
                _clear.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource Cleared()
    {
        var cleared = new TaskCompletionSource();
        cleared.SetResult();
        return cleared;
    }

    private sealed class Scope(WritePriority priority, bool outer) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                UrgentFlow.Value = outer;
                priority.End();
            }
        }
    }
}
