using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Serving.Log;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Incidents.Replay;
using ModelOps.Inference.Rollouts.Shadow;
using ModelOps.Inference.Serving.Log;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Log;

/// <summary>
/// The log queries the rest of the app runs (replay sampling, shadow pairs, incident samples),
/// written once and run on both providers: each against rows the writer stored.
/// </summary>
public sealed class InferenceLogQueriesTests
{
    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task LoggedPredictions_KeysetPages_ReturnEveryAnsweredCandidateRowInOrderOnce(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        var at = LogRecords.Start;
        await LogRecords.PersistAsync(log,
        [
            .. Enumerable.Range(0, 7).Select(i => LogRecords.Record($"c{i}", at.AddSeconds(i / 2), version: 4, arm: i % 3 == 0 ? Arm.Shadow : Arm.Candidate)),
            LogRecords.Record("baseline", at, version: 4, arm: Arm.Baseline),
            LogRecords.Record("failed", at, version: 4, arm: Arm.Candidate) with { Status = RequestStatus.Timeout },
            LogRecords.Record("no-score", at, version: 4, arm: Arm.Candidate) with { Score = double.NaN },
            LogRecords.Record("later", at.AddHours(2), version: 4, arm: Arm.Candidate),
            LogRecords.Record("other-version", at, version: 3, arm: Arm.Candidate),
        ]);
        var source = new LoggedPredictions(log.Database);
        var (from, to) = (at, at.AddHours(1));

        var read = new List<long>();
        for (var page = await source.ReadAsync("ctr", 4, from, to, null, 3, CancellationToken.None); page.Count > 0;
             page = await source.ReadAsync("ctr", 4, from, to, page[^1], 3, CancellationToken.None))
        {
            read.AddRange(page.Select(p => p.Id));
        }

        await using var db = log.NewContext();
        var expected = await db.Set<InferenceLogEntry>().Where(e => e.RequestId.StartsWith("c")).OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => e.Id).ToListAsync();
        Assert.Equal(expected, read);
        Assert.Equal(7, await source.CountAsync("ctr", 4, from, to, cap: 100, CancellationToken.None));
        Assert.Equal(5, await source.CountAsync("ctr", 4, from, to, cap: 5, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task LoggedPredictions_Row_CarriesInputFeaturesAndScore(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        await LogRecords.PersistAsync(log, [LogRecords.Record("c1", version: 4, arm: Arm.Candidate, input: [0.5f, -2f])]);

        var row = Assert.Single(await new LoggedPredictions(log.Database).ReadAsync("ctr", 4, LogRecords.Start, LogRecords.Start, null, 10, CancellationToken.None));

        Assert.Equal((LogRecords.Start, "eu", 0.7), (row.At, row.Region, row.Score));
        Assert.NotNull(row.Input);
        Assert.Equal([0.5f, -2f], row.Input);
        Assert.Equal("***", row.Features!["email"].Text);
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task MirroredPairs_ShadowRowAndServedRow_PairedByRequestId(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        await LogRecords.PersistAsync(log,
        [
            LogRecords.Record("r1", version: 1, arm: Arm.Baseline) with { Score = 0.25 },
            LogRecords.Record("r1" + MirroredPairs.ShadowSuffix, version: 2, arm: Arm.Shadow) with { Score = 0.75 },
            LogRecords.Record("r2" + MirroredPairs.ShadowSuffix, version: 2, arm: Arm.Shadow),
        ]);

        var pairs = await new MirroredPairs(log.Database).ReadAsync("ctr", 1, 2, LogRecords.Start, LogRecords.Spec, 10, CancellationToken.None);

        var pair = Assert.Single(pairs);
        Assert.Equal((0.25, 0.75), (pair.Baseline, pair.Candidate));
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task KeysThenRows_WindowOfOneVersion_ReturnsItsRowsWithFailuresMarked(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        await LogRecords.PersistAsync(log,
        [
            LogRecords.Record("ok", LogRecords.Start.AddSeconds(1)),
            LogRecords.Record("failed", LogRecords.Start.AddSeconds(2)) with { Status = RequestStatus.Error, Error = "boom" },
            LogRecords.Record("outside", LogRecords.Start.AddMinutes(5)),
            LogRecords.Record("v2", LogRecords.Start.AddSeconds(1), version: 2),
        ]);
        var reader = new InferenceLogReader(log.Database);

        var keys = await reader.KeysAsync("ctr", 1, LogRecords.Start, LogRecords.Start.AddMinutes(1), CancellationToken.None);
        var rows = await reader.RowsAsync([.. keys.Select(k => k.LogId)], CancellationToken.None);

        Assert.Equal([false, true], keys.OrderBy(k => k.LogId).Select(k => k.Failed));
        Assert.Equal([("ok", "ok", (string?)null), ("failed", "error", "boom")], rows.Select(r => (r.RequestId, r.Status, r.Error)));
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Find_RequestIdWithNul_IsStoredAndFound(string provider)
    {
        // A client-chosen id may hold any character; PostgreSQL's text cannot hold NUL, and a batch
        // that carried one would fail whole.
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        var writer = LogRecords.Writer(log);
        await writer.StartAsync(CancellationToken.None);
        writer.Enqueue(LogRecords.Record("a\0b") with { Error = "x\0y" });
        writer.Enqueue(LogRecords.Record("plain"));
        await writer.StopAsync(CancellationToken.None);

        var found = await new InferenceLogReader(log.Database).FindAsync("a\0b", CancellationToken.None);

        Assert.Equal(2, writer.Stats.Persisted);
        Assert.NotNull(found);
        Assert.Equal(log.Database.Storable("a\0b"), found.RequestId);
    }
}
