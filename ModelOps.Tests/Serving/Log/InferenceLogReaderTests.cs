using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Log;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Log;

public sealed class InferenceLogReaderTests : IAsyncLifetime
{
    private MigratedInferenceLogFile _database = null!; // Set in InitializeAsync, before any test runs.

    public async Task InitializeAsync() => _database = await MigratedInferenceLogFile.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Find_UnknownRequest_ReturnsNull()
    {
        await LogRecords.PersistAsync(_database, [LogRecords.Record("r1")]);

        Assert.Null(await Reader().FindAsync("nope", CancellationToken.None));
    }

    [Fact]
    public async Task Find_ServedAndMirroredRows_ReturnsTheServedRow()
    {
        await LogRecords.PersistAsync(_database,
        [
            LogRecords.Record("r1", version: 2, arm: Arm.Shadow),
            LogRecords.Record("r1", version: 1, arm: Arm.Candidate),
            LogRecords.Record("r2"),
        ]);

        var entry = await Reader().FindAsync("r1", CancellationToken.None);

        Assert.NotNull(entry);
        Assert.Equal(("r1", 1, "candidate", LogRecords.Start), (entry.RequestId, entry.Version, entry.Arm, entry.At));
        Assert.Equal("""{"age":31,"email":"***","country":"de"}""", entry.FeaturesJson);
    }

    [Fact]
    public async Task Find_OnlyMirroredRow_ReturnsIt()
    {
        await LogRecords.PersistAsync(_database, [LogRecords.Record("r1", arm: Arm.Shadow)]);

        var entry = await Reader().FindAsync("r1", CancellationToken.None);

        Assert.Equal("shadow", entry?.Arm);
    }

    [Fact]
    public async Task RecentInputs_RepeatedInputsOfSeveralVersions_ReturnsDistinctOfThatVersionNewestFirst()
    {
        await LogRecords.PersistAsync(_database,
        [
            LogRecords.Record("a", LogRecords.Start.AddSeconds(1), input: [1f, 1f]),
            LogRecords.Record("b", LogRecords.Start.AddSeconds(2), input: [2f, 2f]),
            LogRecords.Record("c", LogRecords.Start.AddSeconds(3), input: [1f, 1f]),
            LogRecords.Record("d", LogRecords.Start.AddSeconds(4), input: [3.5f, -0.125f]),
            LogRecords.Record("e", LogRecords.Start.AddSeconds(5), version: 2, input: [9f, 9f]),
            LogRecords.Record("f", LogRecords.Start.AddSeconds(6), model: "other", input: [8f, 8f]),
        ]);

        var inputs = await Reader().RecentInputsAsync("ctr", 1, 10, CancellationToken.None);

        Assert.Equal([[3.5f, -0.125f], [1f, 1f], [2f, 2f]], inputs);
    }

    [Fact]
    public async Task RecentInputs_MoreDistinctThanLimit_ReturnsOnlyTheNewest()
    {
        await LogRecords.PersistAsync(_database, Enumerable.Range(0, 20)
            .Select(i => LogRecords.Record($"r{i}", LogRecords.Start.AddSeconds(i), input: [i])));

        var inputs = await Reader().RecentInputsAsync("ctr", 1, 3, CancellationToken.None);

        Assert.Equal([[19f], [18f], [17f]], inputs);
    }

    [Fact]
    public async Task RecentInputs_RowWithoutInput_IsSkipped()
    {
        await LogRecords.PersistAsync(_database,
        [
            LogRecords.Record("a", LogRecords.Start, input: [1f]),
            LogRecords.Record("b", LogRecords.Start.AddSeconds(1)) with { Input = null },
        ]);

        var inputs = await Reader().RecentInputsAsync("ctr", 1, 10, CancellationToken.None);

        Assert.Equal([[1f]], inputs);
    }

    private InferenceLogReader Reader() => new(new InferenceLogDatabase(_database.ConnectionString));
}
