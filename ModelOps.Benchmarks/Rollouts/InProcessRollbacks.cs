using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Benchmarks.Serving;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Inference.Serving;
using ModelOps.Inference.Serving.Log;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// Section 2 of <c>-- rollback-restore</c>: automatic rollbacks in-process under the serving
/// harness's paced predict load (the inference log writer busy the whole time). Each cycle starts
/// a canary of v3 on ctr-ranker (10 %) through <see cref="RolloutService.StartAsync"/>, lets it take
/// traffic for the hold, then rolls it back exactly as the judge does on a sustained hard breach:
/// <see cref="RolloutRollbacks.RollbackAsync"/> with a <c>hard</c> trigger from
/// <see cref="RolloutEvaluator.Actor"/> (decision, incident, frozen candidate, swap, aftercare).
/// Reported: the engine's own <c>Rollout.DecisionToRestoreMs</c>, an outside watch from the call
/// to the live table routing nothing to v3 (<see cref="RestoreWatcher"/>), the whole call, and
/// failed inference requests over the run; first for a smaller count with the log in the main
/// database (<see cref="LogLayout.MainDatabase"/>, the old layout) as the comparison.
/// </summary>
public static class InProcessRollbacks
{
    private const string Name = "2 in-process rollbacks";
    private const int Candidate = 3;

    public static async Task RunAsync(RollbackRestoreOptions options, ServingFigures figures)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(figures);
        Console.WriteLine($"[{Name}] cycles: start a 10 % canary of v{Candidate}, hold {options.HoldMs} ms, judge-style hard rollback; " +
            $"{PacedPredictLoad.Workers} predict threads paced to {options.RequestsPerSecond:N0} req/s throughout, judge every {options.GateIntervalSeconds} s; " +
            $"{options.OldLayoutRollbacks} with the log in the main database (old layout), then {options.Rollbacks} with the log in its own file, each a fresh app");
        var old = options.OldLayoutRollbacks > 0 ? await MeasureAsync(LogLayout.MainDatabase, options.OldLayoutRollbacks, options) : null;
        var own = await MeasureAsync(LogLayout.OwnFile, options.Rollbacks, options);

        figures.Add(Name, "rollbacks completed (log in own file)", own.Cycles.Done, "rollbacks", "F0");
        figures.Add(Name, "decision->restore p50 (DecisionToRestoreMs)", own.Engine.P50Ms, "ms", "F1");
        figures.Add(Name, "decision->restore p99 (DecisionToRestoreMs)", own.Engine.P99Ms, "ms", "F1");
        figures.Add(Name, "decision->restore max (DecisionToRestoreMs)", own.Engine.MaxMs, "ms", "F1");
        figures.Add(Name, "call->traffic restored p50 (outside watch)", own.Outside.P50Ms, "ms", "F1");
        figures.Add(Name, "call->traffic restored p99 (outside watch)", own.Outside.P99Ms, "ms", "F1");
        figures.Add(Name, "call->traffic restored max (outside watch)", own.Outside.MaxMs, "ms", "F1");
        figures.Add(Name, "whole rollback call p99 (incl. aftercare)", own.Call.P99Ms, "ms", "F1");
        figures.Add(Name, "predict load during rollbacks", own.During.Requests / own.Elapsed.TotalSeconds, "req/s", "N0");
        figures.Add(Name, "failed inference requests (must be 0)", own.During.Failed, "requests", "F0");
        figures.Add(Name, "inference log rows persisted meanwhile", own.LogPersisted, "rows", "N0");
        figures.Add(Name, "inference log rows dropped meanwhile (overload policy)", own.LogDropped, "rows", "N0");
        if (old is not null)
        {
            figures.Add(Name, "old layout: rollbacks completed", old.Cycles.Done, "rollbacks", "F0");
            figures.Add(Name, "old layout: decision->restore p50", old.Engine.P50Ms, "ms", "F1");
            figures.Add(Name, "old layout: decision->restore p99", old.Engine.P99Ms, "ms", "F1");
            figures.Add(Name, "old layout: decision->restore max", old.Engine.MaxMs, "ms", "F1");
            figures.Add(Name, "old layout: failed inference requests", old.During.Failed, "requests", "F0");
            figures.Add(Name, "ratio decision->restore p99 old/own", old.Engine.P99Ms / own.Engine.P99Ms, "x", "F1");
        }
    }

    private static async Task<Measured> MeasureAsync(LogLayout layout, int count, RollbackRestoreOptions options)
    {
        await using var app = await ServingApp.StartAsync(directory => new Dictionary<string, string?>(layout.Settings(directory))
        {
            ["ModelOps:Gates:IntervalSeconds"] = $"{options.GateIntervalSeconds}",
        });
        var pool = app.Get<SessionPool>();
        var router = app.Get<TrafficRouter>();
        var servable = pool.FindHealthy(ServingApp.Model, 2)!.Version; // StartAsync returns once v2 is warm
        var plan = Plan();
        var load = PacedPredictLoad.Start(app.Get<ModelServer>(), ServingWorkload.Draw(servable.Encoder!), options.RequestsPerSecond);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var fallbacksBefore = app.Get<RequestRouter>().Fallbacks;
        var logBefore = app.Get<InferenceLogWriter>().Stats;
        load.Set(PacedPredictLoad.Measured);
        var cycles = new Cycles(count);
        // Pauses of this whole process (the app and the load share it): a tail the GC explains is not the rollback's.
        var (pausedBefore, gen2Before) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2));
        var watch = Stopwatch.StartNew();
        using (var watcher = RestoreWatcher.Start(router, ServingApp.Model))
        {
            for (var i = 0; i < count; i++)
            {
                await CycleAsync(app, plan, watcher, options.HoldMs, i, cycles);
            }
        }

        var elapsed = watch.Elapsed;
        var (paused, gen2) = (GC.GetTotalPauseDuration() - pausedBefore, GC.CollectionCount(2) - gen2Before);
        load.Set(PacedPredictLoad.After);
        await load.StopAsync();
        var during = load.Summarise(PacedPredictLoad.Measured);
        var logAfter = app.Get<InferenceLogWriter>().Stats;
        var measured = new Measured(cycles, cycles.Engine(), cycles.Outside(), cycles.Call(), during, elapsed,
            logAfter.Persisted - logBefore.Persisted, logAfter.Dropped - logBefore.Dropped);
        Console.WriteLine($"  {layout.Label}: {cycles.Done} rolled back in {elapsed.TotalSeconds:F1} s, {cycles.Refused} refused{cycles.Describe()}; " +
            $"{await LogLayoutSwap.CountLogRowsAsync(layout.LogFile(app.DataDirectory)):N0} log rows in {Path.GetFileName(layout.LogFile(app.DataDirectory))}");
        Console.WriteLine($"    decision->restore (Rollout.DecisionToRestoreMs): {measured.Engine}");
        Console.WriteLine($"    call->all traffic on v2 (outside watch, ~1 ms resolution): {measured.Outside}");
        Console.WriteLine($"    whole RollbackAsync call (incl. aftercare): {measured.Call}");
        Console.WriteLine($"    predict during the run: {during.Requests:N0} requests ({during.Requests / elapsed.TotalSeconds:N0}/s), failed {during.Failed}{during.Describe()}, " +
            $"served by v2 {during.ByVersion(2):N0} / v3 {during.ByVersion(Candidate):N0}, fallbacks {app.Get<RequestRouter>().Fallbacks - fallbacksBefore}; {during.Latency}");
        Console.WriteLine($"    inference log meanwhile: {measured.LogPersisted:N0} rows persisted, {measured.LogDropped:N0} dropped; " +
            $"GC paused this process {paused.TotalMilliseconds:F0} ms in all ({gen2} gen2 collections)");
        return measured;
    }

    private static async Task CycleAsync(ServingApp app, RolloutPlan plan, RestoreWatcher watcher, int holdMs, int index, Cycles cycles)
    {
        string id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var started = await scope.ServiceProvider.GetRequiredService<RolloutService>().StartAsync(plan, "harness", CancellationToken.None);
            if (!started.IsSuccess)
            {
                cycles.Refuse($"start {index}: {started.Error.Detail}");
                return;
            }

            id = started.Value.Id;
        }

        await Task.Delay(holdMs);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            var trigger = new RollbackTrigger(RollbackTrigger.Kinds.Hard, RolloutEvaluator.Actor,
                $"automatic: harness breach {index}", Verdicts: null, FirstFailingAt: time.GetUtcNow());
            watcher.Arm(Candidate);
            var called = Stopwatch.GetTimestamp();
            var rolledBack = await scope.ServiceProvider.GetRequiredService<RolloutRollbacks>().RollbackAsync(id, trigger, CancellationToken.None);
            var returned = Stopwatch.GetTimestamp();
            var restored = watcher.WaitRestored(TimeSpan.FromSeconds(5));
            if (!rolledBack.IsSuccess || rolledBack.Value.Rollout.DecisionToRestoreMs is not { } engineMs || restored is not { } restoredAt)
            {
                cycles.Refuse($"rollback {index}: {(rolledBack.IsSuccess ? "no DecisionToRestoreMs or traffic not restored" : rolledBack.Error.Detail)}");
                return;
            }

            cycles.Add(engineMs, Stopwatch.GetElapsedTime(called, restoredAt).TotalMilliseconds, Stopwatch.GetElapsedTime(called, returned).TotalMilliseconds);
        }
    }

    /// <summary>A 10 % canary of v3 that would bake for an hour: only the rollback ends it.</summary>
    private sealed record Measured(
        Cycles Cycles, LatencySummary Engine, LatencySummary Outside, LatencySummary Call, PhaseResults.Summary During, TimeSpan Elapsed, long LogPersisted, long LogDropped);

    private static RolloutPlan Plan()
    {
        var request = new RolloutRequest(ServingApp.Model, Candidate, "canary", [new StepRequest(10, 3_600, null)],
            GuardrailTemplates.Default, null, null, "harness", null, null, null, null);
        var plan = RolloutPlanner.Plan(request, champion: 2);
        return plan.IsSuccess ? plan.Value : throw new InvalidOperationException(plan.Error.Detail);
    }
}
