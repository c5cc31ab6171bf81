using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Audit;
using ModelOps.Core.Audit.Checkpoints;
using ModelOps.Core.Common;
using ModelOps.Core.Persistence;

namespace ModelOps.Tests.Audit.Checkpoints;

public sealed class AuditIntegrityTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private CheckpointHarness _harness = null!; // Set in InitializeAsync.

    public async Task InitializeAsync() => _harness = await CheckpointHarness.CreateAsync(_time);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Latest_NoCheckpointYet_IsNotFound()
    {
        await using var scope = _harness.Provider.CreateAsyncScope();

        var latest = await scope.ServiceProvider.GetRequiredService<AuditIntegrity>().LatestAsync(CancellationToken.None);

        Assert.Equal(ErrorKind.NotFound, latest.Error?.Kind);
    }

    [Fact]
    public async Task Verify_SuffixRewrittenWithFreshHashes_ReportsTheAnchoredRow()
    {
        await _harness.AppendAsync(5);
        await _harness.Checkpointer.CheckpointAsync(CancellationToken.None);
        await RewriteFromAsync(3);

        var verification = await _harness.VerifyAsync();

        Assert.False(verification.Valid);
        Assert.Equal(5, verification.FirstBrokenSeq);
        Assert.Equal(4, verification.Count);
    }

    [Fact]
    public async Task Verify_ChainGrewPastTheCheckpoint_IsValid()
    {
        await _harness.AppendAsync(3);
        await _harness.Checkpointer.CheckpointAsync(CancellationToken.None);
        await _harness.AppendAsync(2);

        var verification = await _harness.VerifyAsync();

        Assert.True(verification.Valid, verification.Detail);
        Assert.Equal(5, verification.Count);
        Assert.Null(verification.Missing);
    }

    /// <summary>An attacker who edits row <paramref name="seq"/> and re-hashes every row after it, so the chain alone still verifies.</summary>
    private async Task RewriteFromAsync(long seq)
    {
        // The provider's own context type, as the app resolves it (the SQLite type cannot read PostgreSQL's timestamps).
        await using var scope = _harness.Provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        var rows = await db.Set<AuditEntry>().Where(e => e.Seq >= seq).OrderBy(e => e.Seq).ToListAsync();
        var prev = await db.Set<AuditEntry>().Where(e => e.Seq == seq - 1).Select(e => e.Hash).SingleAsync();
        rows[0].Actor = "mallory";
        foreach (var row in rows)
        {
            row.PrevHash = prev;
            row.Hash = AuditHasher.Compute(row);
            prev = row.Hash;
        }

        await db.SaveChangesAsync();
        Assert.True((await new AuditLog(db).VerifyAsync(CancellationToken.None)).Valid);
    }
}
