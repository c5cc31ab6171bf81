using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Audit.Checkpoints;
using ModelOps.Core.Common;
using ModelOps.Core.Persistence;

namespace ModelOps.Core.Audit;

/// <summary>
/// The only way state changes are written: the change and its audit row commit in one
/// transaction, under the write gate, so there is no change without its row, no row for a
/// change that was rolled back, and one unforked chain — across replicas too (<see cref="AuditChainLock"/>).
/// </summary>
/// <param name="checkpointer">Anchors the head right after a routing change; absent where no checkpoints are kept.</param>
/// <param name="listeners">Told after each commit (e.g. the console's dashboards); none where nobody listens.</param>
public sealed class AuditTrail(
    ModelOpsDbContext db, AuditWriteGate gate, TimeProvider time, IAuditCheckpointer? checkpointer = null, IEnumerable<IAuditCommitListener>? listeners = null)
{
    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Runs <paramref name="change"/> inside a transaction. On success its pending changes and
    /// the audit row are saved and committed together; on failure nothing is saved.
    /// The change runs under the gate, so it may check stored state and trust it.
    /// </summary>
    public Task<Result<T>> ExecuteAsync<T>(
        Func<CancellationToken, Task<Result<AuditedChange<T>>>> change,
        CancellationToken cancellationToken) => ExecuteAsync(change, afterCommit: null, cancellationToken);

    /// <summary>
    /// As <see cref="ExecuteAsync{T}(Func{CancellationToken, Task{Result{AuditedChange{T}}}}, CancellationToken)"/>,
    /// and <paramref name="afterCommit"/> runs as soon as the change has committed, before the
    /// row is anchored: a routing change goes live without waiting for the checkpoint file's
    /// write to reach the disk (the anchor protects the audit chain, not the committed change).
    /// </summary>
    public async Task<Result<T>> ExecuteAsync<T>(
        Func<CancellationToken, Task<Result<AuditedChange<T>>>> change,
        Action<T>? afterCommit,
        CancellationToken cancellationToken)
    {
        var (result, committed) = await CommitAsync(change, cancellationToken);
        if (result.IsSuccess)
        {
            afterCommit?.Invoke(result.Value);
        }

        if (committed is not null && checkpointer is not null && AnchorsImmediately(committed.Action))
        {
            // The change has committed: its checkpoint must not be abandoned because the caller
            // went away, and the checkpointer reports (never throws) its own faults.
            await checkpointer.CheckpointAsync(CancellationToken.None);
        }

        if (committed is not null)
        {
            foreach (var listener in listeners ?? [])
            {
                listener.Committed(committed);
            }
        }

        return result;
    }

    /// <summary>
    /// Marks the calling flow urgent until disposed: its writes go ahead of this process's other
    /// writers (a rollback's decision and traffic swap; see <see cref="WritePriority"/>).
    /// </summary>
    public IDisposable Urgent() => gate.Urgent();

    /// <summary>Appends a row that accompanies no other state change (a login failure, a denial).</summary>
    public async Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        _ = await ExecuteAsync(
            _ => Task.FromResult<Result<AuditedChange<bool>>>(new AuditedChange<bool>(true, record)),
            cancellationToken);
    }

    private async Task<(Result<T> Result, AuditRecord? Committed)> CommitAsync<T>(
        Func<CancellationToken, Task<Result<AuditedChange<T>>>> change,
        CancellationToken cancellationToken)
    {
        using var _ = await gate.EnterAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            // After the in-process gate, so a replica queues on the database lock with one connection at most.
            await AuditChainLock.TakeAsync(db.Database, cancellationToken);
            var result = await change(cancellationToken);
            if (!result.IsSuccess)
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return (result.Error, null);
            }

            await db.SaveChangesAsync(cancellationToken);
            if (result.Value.Audit is { } audit)
            {
                await AppendRowAsync(audit, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return (result.Value.Value, result.Value.Audit);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A conditional update lost to another process's decision on the same row: the
            // caller's view was stale, so nothing of it is written.
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return (Error.Conflict("Another decision changed this record first; reload it and decide again on its current state."), null);
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
    }

    // A routing change moves live traffic: it is the row an incident review most needs to
    // trust, so it is anchored at once rather than at the next periodic checkpoint.
    private static bool AnchorsImmediately(string action) => action.StartsWith("routing.", StringComparison.Ordinal);

    private async Task AppendRowAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        var head = await db.Set<AuditEntry>().AsNoTracking()
            .OrderByDescending(e => e.Seq)
            .Select(e => new { e.Seq, e.Hash })
            .FirstOrDefaultAsync(cancellationToken);
        var entry = new AuditEntry
        {
            Seq = (head?.Seq ?? 0) + 1,
            At = TruncateToMillisecond(time.GetUtcNow()),
            Actor = Clip(record.Actor, AuditEntry.ActorMaxLength),
            Action = Clip(record.Action, AuditEntry.ActionMaxLength),
            Target = Clip(record.Target, AuditEntry.TargetMaxLength),
            Model = record.Model is null ? null : Clip(record.Model, AuditEntry.ModelMaxLength),
            Details = record.Details is null ? "{}" : JsonSerializer.Serialize(record.Details, DetailsJson),
            PrevHash = head?.Hash ?? AuditHasher.Genesis,
            Hash = string.Empty,
        };
        entry.Hash = AuditHasher.Compute(entry);
        db.Set<AuditEntry>().Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(entry).State = EntityState.Detached;
    }

    // Actors and targets can carry caller input (a failed login's user name, a denied request's
    // path): the row keeps its start and says it was cut, instead of the insert failing.
    private static string Clip(string value, int maxLength) =>
        value.Length <= maxLength ? value : string.Concat(value.AsSpan(0, maxLength - 1), "…");

    // The database stores times at 1,000-tick precision (DateTimeOffsetToBinaryConverter);
    // hashing a finer time than is stored would break the chain on the first read back.
    private static DateTimeOffset TruncateToMillisecond(DateTimeOffset now) =>
        new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
}
