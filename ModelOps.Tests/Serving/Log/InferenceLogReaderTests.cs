using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Log;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Log;

public sealed class InferenceLogReaderTests
{
    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Find_UnknownRequest_ReturnsNull(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        await LogRecords.PersistAsync(log, [LogRecords.Record("r1")]);

        Assert.Null(await Reader(log).FindAsync("nope", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Find_ServedAndMirroredRows_ReturnsTheServedRow(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        await LogRecords.PersistAsync(log,
        [
            LogRecords.Record("r1", version: 2, arm: Arm.Shadow),
            LogRecords.Record("r1", version: 1, arm: Arm.Candidate),
            LogRecords.Record("r2"),
        ]);

        var entry = await Reader(log).FindAsync("r1", CancellationToken.None);

        Assert.NotNull(entry);
        Assert.Equal(("r1", 1, "candidate", LogRecords.Start), (entry.RequestId, entry.Version, entry.Arm, entry.At));
        Assert.Equal("""{"age":31,"email":"***","country":"de"}""", entry.FeaturesJson);
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Find_OnlyMirroredRow_ReturnsIt(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        await LogRecords.PersistAsync(log, [LogRecords.Record("r1", arm: Arm.Shadow)]);

        var entry = await Reader(log).FindAsync("r1", CancellationToken.None);

        Assert.Equal("shadow", entry?.Arm);
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task RecentInputs_RepeatedInputsOfSeveralVersions_ReturnsDistinctOfThatVersionNewestFirst(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        await LogRecords.PersistAsync(log,
        [
            LogRecords.Record("a", LogRecords.Start.AddSeconds(1), input: [1f, 1f]),
            LogRecords.Record("b", LogRecords.Start.AddSeconds(2), input: [2f, 2f]),
            LogRecords.Record("c", LogRecords.Start.AddSeconds(3), input: [1f, 1f]),
            LogRecords.Record("d", LogRecords.Start.AddSeconds(4), input: [3.5f, -0.125f]),
            LogRecords.Record("e", LogRecords.Start.AddSeconds(5), version: 2, input: [9f, 9f]),
            LogRecords.Record("f", LogRecords.Start.AddSeconds(6), model: "other", input: [8f, 8f]),
        ]);

        var inputs = await Reader(log).RecentInputsAsync("ctr", 1, 10, CancellationToken.None);

        Assert.Equal([[3.5f, -0.125f], [1f, 1f], [2f, 2f]], inputs);
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task RecentInputs_MoreDistinctThanLimit_ReturnsOnlyTheNewest(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        await LogRecords.PersistAsync(log, Enumerable.Range(0, 20)
            .Select(i => LogRecords.Record($"r{i}", LogRecords.Start.AddSeconds(i), input: [i])));

        var inputs = await Reader(log).RecentInputsAsync("ctr", 1, 3, CancellationToken.None);

        Assert.Equal([[19f], [18f], [17f]], inputs);
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task RecentInputs_RowWithoutInput_IsSkipped(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        await LogRecords.PersistAsync(log,
        [
            LogRecords.Record("a", LogRecords.Start, input: [1f]),
            LogRecords.Record("b", LogRecords.Start.AddSeconds(1)) with { Input = null },
        ]);

        var inputs = await Reader(log).RecentInputsAsync("ctr", 1, 10, CancellationToken.None);

        Assert.Equal([[1f]], inputs);
    }

    private static InferenceLogReader Reader(MigratedInferenceLog log) => new(log.Database);
}
