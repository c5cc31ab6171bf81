using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Serving.Chaos;

namespace ModelOps.Core.GameDays;

/// <summary>
/// Runs a started drill: puts the fault on the candidate, then watches the drill's rollout until it
/// is rolled back and traffic restored, it ends another way, or <see cref="GameDayOptions.TimeoutSeconds"/>
/// pass. Whatever happens — the end, a time-out, an error, the process stopping — the drill is
/// finished by <see cref="GameDayFinisher"/>: canary rolled back if still live, fault cleared,
/// times recorded. A drill still running at start was cut off by a crash: it is finished as interrupted.
/// </summary>
public sealed partial class GameDayRunner(IServiceScopeFactory scopes, IOptions<GameDayOptions> options, TimeProvider time, ILogger<GameDayRunner> logger)
{
    public const string Actor = "modelops-gameday";

    /// <summary>How long after a committed rollback its swap may take before the drill stops waiting for the restore time.</summary>
    private static readonly TimeSpan SwapGrace = TimeSpan.FromSeconds(5);

    public async Task RunAsync(string id, CancellationToken cancellationToken)
    {
        var (outcome, note) = (GameDayOutcomes.Error, "The drill failed unexpectedly; see the log.");
        try
        {
            (outcome, note) = await InjectAndWatchAsync(id, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            (outcome, note) = (GameDayOutcomes.Interrupted, "The process stopped during the drill.");
        }
        finally
        {
            // Not the caller's token: the cleanup must run even when the drill was cancelled.
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<GameDayFinisher>().FinishAsync(id, outcome, note, CancellationToken.None);
        }
    }

    /// <summary>Finishes, as interrupted, every drill a previous process left running; run once at start.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var running = await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<GameDay>()
            .Where(g => g.State == GameDayStates.Running).Select(g => g.Id).ToListAsync(cancellationToken);
        foreach (var id in running)
        {
            await scope.ServiceProvider.GetRequiredService<GameDayFinisher>()
                .FinishAsync(id, GameDayOutcomes.Interrupted, "The process stopped during the drill; found running at start.", cancellationToken);
            Log.Recovered(logger, id);
        }
    }

    private async Task<(string Outcome, string Note)> InjectAndWatchAsync(string id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        var drill = await db.Set<GameDay>().SingleOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (drill is not { State: GameDayStates.Running })
        {
            return (GameDayOutcomes.Error, $"Drill {id} is not running.");
        }

        var fault = JsonSerializer.Deserialize<GameDayFault>(drill.FaultJson, GameDayService.Json)!; // Written by GameDayService from a validated fault.
        var set = await scope.ServiceProvider.GetRequiredService<IChaosFaults>().SetAsync(
            new ChaosFaultRequest(drill.Model, drill.Version, fault.AddedLatencyMs, fault.ErrorRate, fault.KpiFactor), Actor, cancellationToken);
        if (!set.IsSuccess)
        {
            return (GameDayOutcomes.FaultRefused, set.Error.Detail);
        }

        drill.FaultStartedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        Log.FaultOn(logger, id, drill.Model, drill.Version);
        return await WatchAsync(db, drill, cancellationToken);
    }

    private async Task<(string Outcome, string Note)> WatchAsync(ModelOpsDbContext db, GameDay drill, CancellationToken cancellationToken)
    {
        var deadline = drill.FaultStartedAt!.Value.AddSeconds(options.Value.TimeoutSeconds); // Set just before the watch starts.
        var poll = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
        while (true)
        {
            var rollout = await db.Set<Rollout>().AsNoTracking().SingleAsync(r => r.Id == drill.RolloutId, cancellationToken);
            var now = time.GetUtcNow();
            if (rollout.State == RolloutStates.RolledBack && (rollout.DecisionToRestoreMs is not null || now - rollout.DecidedAt > SwapGrace))
            {
                return (GameDayOutcomes.RolledBack, $"Rolled back ({rollout.Trigger}): {rollout.EndReason}");
            }

            if (!RolloutStates.IsActive(rollout.State) && rollout.State != RolloutStates.RolledBack)
            {
                return (GameDayOutcomes.RolloutEnded, $"The drill's rollout ended {rollout.State} without a rollback: {rollout.EndReason}");
            }

            if (now >= deadline && rollout.State != RolloutStates.RollingBack)
            {
                return (GameDayOutcomes.NotDetected, $"No rollback within {options.Value.TimeoutSeconds} s of the fault; the drill rolled its canary back itself.");
            }

            await Task.Delay(poll, time, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Game day {GameDayId}: fault on {Model} v{Version}")]
        public static partial void FaultOn(ILogger logger, string gameDayId, string model, int version);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Game day {GameDayId} was running when the process stopped; finished as interrupted")]
        public static partial void Recovered(ILogger logger, string gameDayId);
    }
}
