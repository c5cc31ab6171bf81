using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Serving.Caching;
using ModelOps.Core.Serving.Calibration;
using ModelOps.Core.Serving.Chaos;
using ModelOps.Inference.Serving.Calibration;
using ModelOps.Inference.Serving.Chaos;

namespace ModelOps.Tests.Serving.Inference;

/// <summary>
/// The Core contracts the rollout engine will hold (calibration snapshots, chaos, cache
/// pre-warming), resolved from the real app and acting on the real serving state.
/// </summary>
public sealed class ServingContractsTests(InferenceAppFixture app) : IClassFixture<InferenceAppFixture>
{
    [Fact]
    public async Task CalibrationSnapshots_TakeThenRestore_PutsTheVersionsStateBack()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var snapshots = scope.ServiceProvider.GetRequiredService<ICalibrationSnapshots>();
        var registry = app.Factory.Services.GetRequiredService<CalibrationRegistry>();
        var before = registry.Get("ctr-ranker", 2);

        var id = await snapshots.TakeAsync("ctr-ranker", 2, "test", "before the rollout", CancellationToken.None);
        registry.Observe("ctr-ranker", 2, 0.9, 0);
        var changed = registry.Get("ctr-ranker", 2);
        var restored = await snapshots.RestoreAsync(id.Value!, "test", CancellationToken.None);

        Assert.True(restored.IsSuccess);
        Assert.NotEqual(before, changed);
        Assert.Equal(before, registry.Get("ctr-ranker", 2));
    }

    [Fact]
    public async Task ChaosFaults_SetThenClear_ActsOnTheBoardAndCountsWhatWasCleared()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var faults = scope.ServiceProvider.GetRequiredService<IChaosFaults>();
        var board = app.Factory.Services.GetRequiredService<ChaosBoard>();

        var set = await faults.SetAsync(new ChaosFaultRequest("ctr-ranker", 3, ErrorRate: 0.5), "test", CancellationToken.None);
        var active = board.Find("ctr-ranker", 3);
        var cleared = await faults.ClearAsync("test", CancellationToken.None);

        Assert.True(set.IsSuccess);
        Assert.Equal(0.5, active!.ErrorRate);
        Assert.Equal(1, cleared.Value);
        Assert.Null(board.Find("ctr-ranker", 3));
    }

    [Fact]
    public async Task CachePrewarmer_ModelNotCached_IsAConflictSayingHowToEnableIt()
    {
        var prewarmer = app.Factory.Services.GetRequiredService<ICachePrewarmer>();

        var added = await prewarmer.PrewarmAsync("ctr-ranker", 2, 10, CancellationToken.None);

        Assert.Contains("ModelOps:Inference:Cache:Models", added.Error!.Detail, StringComparison.Ordinal);
    }
}
