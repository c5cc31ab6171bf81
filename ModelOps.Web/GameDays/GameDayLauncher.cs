using ModelOps.Core.Common;
using ModelOps.Core.GameDays;
using ModelOps.Web.Rollouts;

namespace ModelOps.Web.GameDays;

/// <summary>
/// Starts a drill: its rollout (through <see cref="GameDayService"/>, audited), the rollout's Quartz
/// job, and the worker that injects and measures the fault. What <c>POST /api/gamedays</c> does,
/// shared with the console's game-days page.
/// </summary>
public sealed class GameDayLauncher(GameDayService gameDays, RolloutJobs jobs, GameDayWorker worker)
{
    public async Task<Result<GameDayStarted>> StartAsync(GameDayRequest request, string actor, CancellationToken cancellationToken)
    {
        var started = await gameDays.StartAsync(request, actor, cancellationToken);
        if (!started.IsSuccess)
        {
            return started.Error;
        }

        await jobs.ScheduleAsync(started.Value.RolloutId, cancellationToken);
        worker.Run(started.Value.Id);
        return new GameDayStarted(started.Value.Id, started.Value.RolloutId);
    }
}
