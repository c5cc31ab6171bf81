using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace ModelOps.Tests.Infrastructure;

/// <summary>
/// Puts the rollout engine's Quartz scheduler in standby so rollout rows written by hand stay
/// exactly as written: otherwise the sweep gives each active one a job that judges it and rewrites
/// its verdicts. Call it before writing the rows: no rollout job exists yet then, and a sweep still
/// in flight only creates jobs, which standby keeps from firing. Returns once the scheduler has
/// started and been put in standby (a start after the standby would undo it).
/// </summary>
public static class EngineStandby
{
    public static async Task EnterAsync(IServiceProvider services)
    {
        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        // The hosted service starts the scheduler once the app has started, on a task of its own:
        // a standby before that start would be undone by it. Wait for the start first.
        for (var attempt = 0; attempt < 200 && await scheduler.GetStatus() == SchedulerStatus.Created; attempt++)
        {
            await Task.Delay(50);
        }

        Assert.NotEqual(SchedulerStatus.Created, await scheduler.GetStatus());
        await scheduler.Standby();
    }
}
