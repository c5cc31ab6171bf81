using Microsoft.EntityFrameworkCore;
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

    /// <summary>
    /// Recomputes every hash in sequence order. A row edited in place fails its own hash; a
    /// deleted row leaves a gap in <c>Seq</c> and a <c>PrevHash</c> that no longer matches.
    /// Streams rows, so memory stays flat for any chain length.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        var expectedPrev = AuditHasher.Genesis;
        long expectedSeq = 1;
        long count = 0;
        await foreach (var entry in db.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Seq).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (entry.Seq != expectedSeq || entry.PrevHash != expectedPrev || AuditHasher.Compute(entry) != entry.Hash)
            {
                return new AuditVerification(false, count, Math.Min(entry.Seq, expectedSeq));
            }

            expectedPrev = entry.Hash;
            expectedSeq++;
            count++;
        }

        return new AuditVerification(true, count, null);
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
