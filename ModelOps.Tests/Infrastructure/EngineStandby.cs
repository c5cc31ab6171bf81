using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace ModelOps.Tests.Infrastructure;

/// <summary>
/// Puts the rollout engine's Quartz scheduler in standby so rollout rows written by hand stay
/// exactly as written: otherwise the sweep gives each active one a job that judges it and rewrites
/// its verdicts. Call it before writing the rows: no rollout job exists yet then, and a sweep still
/// in flight only creates jobs, which standby keeps from firing.
/// </summary>
public static class EngineStandby
{
    public static async Task EnterAsync(IServiceProvider services)
    {
        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Standby();
    }
}
