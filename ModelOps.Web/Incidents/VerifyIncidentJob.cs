using ModelOps.Core.Incidents.Samples;
using ModelOps.Core.Incidents.Verification;
using Quartz;

namespace ModelOps.Web.Incidents;

/// <summary>
/// One incident's post-rollback verification: a run every <c>ModelOps:Gates:IntervalSeconds</c>
/// copies its series and, once the window has ended, records the result; then the job deletes
/// itself. Each run also copies the candidate's request sample once it is due (after the rollback
/// ended), so it is taken on the same schedule as the series. Scheduled by the rollout sweep for every incident still pending, so a restart picks it
/// up again (a window that ended while the process was down is decided at the first run).
/// </summary>
[DisallowConcurrentExecution]
public sealed class VerifyIncidentJob(IServiceScopeFactory scopes) : IJob
{
    public const string Group = "incidents";
    public const string IncidentIdKey = "incidentId";

    public static JobKey KeyFor(string incidentId) => new($"verify-{incidentId}", Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var id = context.MergedJobDataMap.GetString(IncidentIdKey);
        var again = false;
        if (id is not null)
        {
            await using var scope = scopes.CreateAsyncScope();
            again = await scope.ServiceProvider.GetRequiredService<IncidentVerifier>().RunAsync(id, cancellationToken);
            await scope.ServiceProvider.GetRequiredService<IncidentSampleRecorder>().CopyAsync(id, cancellationToken);
        }

        if (!again)
        {
            await context.Scheduler.DeleteJob(context.JobDetail.Key, cancellationToken);
        }
    }
}
