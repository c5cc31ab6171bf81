using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Audit;
using ModelOps.Core.Common;
using ModelOps.Core.Identity;
using ModelOps.Core.Persistence;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Audit;

public sealed class AuditTrailTests : IAsyncLifetime, IDisposable
{
    private readonly AuditWriteGate _gate = new();
    private MigratedDatabase _database = null!; // Set in InitializeAsync, before any test runs.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync() => _database = await MigratedDatabase.CreateAsync();

    public void Dispose() => _gate.Dispose();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Execute_FailedChange_WritesNeitherStateNorRow()
    {
        await using var db = NewContext();
        var trail = new AuditTrail(db, _gate, _time);

        var result = await trail.ExecuteAsync<int>(_ =>
        {
            db.Users.Add(new ModelOpsUser { UserName = "ghost", CreatedAt = _time.GetUtcNow() });
            return Task.FromResult<Result<AuditedChange<int>>>(Error.Invalid("x", "refused"));
        }, CancellationToken.None);

        Assert.False(result.IsSuccess);
        await using var check = NewContext();
        Assert.Equal(0, await check.Set<AuditEntry>().CountAsync());
        Assert.False(await check.Users.AnyAsync(u => u.UserName == "ghost"));
    }

    [Fact]
    public async Task Execute_ThrowingChange_WritesNeitherStateNorRow()
    {
        await using var db = NewContext();
        var trail = new AuditTrail(db, _gate, _time);

        await Assert.ThrowsAsync<InvalidOperationException>(() => trail.ExecuteAsync<int>(async ct =>
        {
            db.Users.Add(new ModelOpsUser { UserName = "ghost", CreatedAt = _time.GetUtcNow() });
            await db.SaveChangesAsync(ct);
            throw new InvalidOperationException("infrastructure fault");
        }, CancellationToken.None));

        await using var check = NewContext();
        Assert.Equal(0, await check.Set<AuditEntry>().CountAsync());
        Assert.False(await check.Users.AnyAsync(u => u.UserName == "ghost"));
    }

    [Fact]
    public async Task Append_ConcurrentWriters_KeepOneGapFreeChain()
    {
        var writers = Enumerable.Range(0, 40).Select(async i =>
        {
            await using var db = NewContext();
            await new AuditTrail(db, _gate, _time).AppendAsync(new AuditRecord($"user{i}", "test.append", $"item:{i}"), CancellationToken.None);
        });

        await Task.WhenAll(writers);

        await using var check = NewContext();
        var seqs = await check.Set<AuditEntry>().OrderBy(e => e.Seq).Select(e => e.Seq).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), seqs);
        var verification = await new AuditLog(check).VerifyAsync(CancellationToken.None);
        Assert.Equal((true, 40L, (long?)null), (verification.Valid, verification.Count, verification.FirstBrokenSeq));
    }

    [Fact]
    public async Task Verify_SubMillisecondClock_StaysValidAfterRoundTrip()
    {
        _time.Advance(TimeSpan.FromTicks(1_234_567));

        await AppendAsync(3);

        await using var db = NewContext();
        Assert.True((await new AuditLog(db).VerifyAsync(CancellationToken.None)).Valid);
    }

    [Fact]
    public async Task Verify_RowEditedThroughSql_ReportsThatRow()
    {
        await AppendAsync(5);
        await using var db = NewContext();
        await db.Database.ExecuteSqlRawAsync("""UPDATE "AuditLog" SET "Actor" = 'mallory' WHERE "Seq" = 3""");

        var verification = await new AuditLog(db).VerifyAsync(CancellationToken.None);

        Assert.Equal((false, 2L, (long?)3), (verification.Valid, verification.Count, verification.FirstBrokenSeq));
    }

    [Fact]
    public async Task Verify_RowDeletedThroughSql_ReportsTheGap()
    {
        await AppendAsync(5);
        await using var db = NewContext();
        await db.Database.ExecuteSqlRawAsync("""DELETE FROM "AuditLog" WHERE "Seq" = 4""");

        var verification = await new AuditLog(db).VerifyAsync(CancellationToken.None);

        Assert.False(verification.Valid);
        Assert.Equal(4, verification.FirstBrokenSeq);
    }

    [Fact]
    public async Task Verify_RowRehashedAfterEdit_StillBreaksTheNextLink()
    {
        await AppendAsync(4);
        await using var db = NewContext();
        var row = await db.Set<AuditEntry>().SingleAsync(e => e.Seq == 2);
        row.Details = "{\"forged\":true}";
        row.Hash = AuditHasher.Compute(row);
        await db.SaveChangesAsync();

        var verification = await new AuditLog(db).VerifyAsync(CancellationToken.None);

        Assert.Equal(3, verification.FirstBrokenSeq);
    }

    private async Task AppendAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await using var db = NewContext();
            _time.Advance(TimeSpan.FromSeconds(1));
            await new AuditTrail(db, _gate, _time).AppendAsync(new AuditRecord("operator", "test.append", $"item:{i}", new { i }), CancellationToken.None);
        }
    }

    private ModelOpsDbContext NewContext() => _database.NewContext();
}
