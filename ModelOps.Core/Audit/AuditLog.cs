using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Audit.Checkpoints;
using ModelOps.Core.Persistence;

namespace ModelOps.Core.Audit;

/// <summary>Reads the audit chain: filtered pages, exports, and verification.</summary>
public sealed class AuditLog(ModelOpsDbContext db)
{
    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var rows = Filter(query);
        var total = await rows.CountAsync(cancellationToken);
        var page = await rows.OrderByDescending(e => e.Seq)
            .Skip(Math.Max(0, query.Skip))
            .Take(Math.Clamp(query.Take, 1, 1000))
            .ToListAsync(cancellationToken);
        return new AuditPage(page, total);
    }

    /// <summary>Every matching row in chain order, streamed.</summary>
    public IAsyncEnumerable<AuditEntry> StreamAsync(AuditQuery query) =>
        Filter(query).OrderBy(e => e.Seq).AsAsyncEnumerable();

    /// <summary>The newest row's seq and hash; null while the log is empty.</summary>
    public Task<AuditHead?> HeadAsync(CancellationToken cancellationToken) =>
        db.Set<AuditEntry>().AsNoTracking()
            .OrderByDescending(e => e.Seq)
            .Select(e => new AuditHead(e.Seq, e.Hash))
            .FirstOrDefaultAsync(cancellationToken);

    public Task<string?> HashAtAsync(long seq, CancellationToken cancellationToken) =>
        db.Set<AuditEntry>().AsNoTracking().Where(e => e.Seq == seq).Select(e => e.Hash).FirstOrDefaultAsync(cancellationToken);

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) => VerifyAsync([], cancellationToken);

    /// <summary>
    /// Recomputes every hash in sequence order. A row edited in place fails its own hash; a
    /// deleted row leaves a gap in <c>Seq</c> and a <c>PrevHash</c> that no longer matches.
    /// Against <paramref name="anchors"/> (signature-checked checkpoints) it also catches what the
    /// chain alone cannot: rows cut from its end, and a suffix rewritten with fresh hashes.
    /// Streams rows, so memory stays flat for any chain length.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(IReadOnlyCollection<AuditCheckpoint> anchors, CancellationToken cancellationToken)
    {
        var expectedPrev = AuditHasher.Genesis;
        long expectedSeq = 1;
        long count = 0;
        await foreach (var entry in db.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Seq).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (entry.Seq != expectedSeq || entry.PrevHash != expectedPrev || AuditHasher.Compute(entry) != entry.Hash)
            {
                var broken = Math.Min(entry.Seq, expectedSeq);
                return new AuditVerification(false, count, broken, Detail: $"Row {broken} breaks the chain: it was edited, or a row before it was deleted.");
            }

            if (anchors.FirstOrDefault(a => a.Seq == entry.Seq && a.HeadHash != entry.Hash) is { } contradicted)
            {
                return new AuditVerification(false, count, entry.Seq, Detail: $"Row {entry.Seq} is not the row the signed checkpoint of {CheckpointPayload.FormatTime(contradicted.At)} anchors: the chain was rewritten up to it.");
            }

            expectedPrev = entry.Hash;
            expectedSeq++;
            count++;
        }

        var top = anchors.MaxBy(a => a.Seq);
        if (top is not null && count < top.Seq)
        {
            return new AuditVerification(false, count, null, new AuditGap(count + 1, top.Seq), Detail: $"The chain ends at row {count} but the signed checkpoint of {CheckpointPayload.FormatTime(top.At)} anchors row {top.Seq}: rows {count + 1} to {top.Seq} were cut from its end.");
        }

        return new AuditVerification(true, count, null, Detail: top is null
            ? $"{count} rows verified; no signed checkpoint anchors the head yet."
            : $"{count} rows verified; the chain extends the signed checkpoint of row {top.Seq}.");
    }

    private IQueryable<AuditEntry> Filter(AuditQuery query)
    {
        var rows = db.Set<AuditEntry>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Model))
        {
            rows = rows.Where(e => e.Model == query.Model);
        }

        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            rows = rows.Where(e => e.Actor == query.Actor);
        }

        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            rows = rows.Where(e => e.Action.StartsWith(query.Action));
        }

        if (query.From is { } from)
        {
            rows = rows.Where(e => e.At >= from);
        }

        if (query.To is { } to)
        {
            rows = rows.Where(e => e.At <= to);
        }

        return rows;
    }
}
