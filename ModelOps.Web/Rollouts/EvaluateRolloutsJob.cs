using ModelOps.Core.Rollouts.Engine;
using Quartz;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// One look at every progressing rollout. Never two at once: a slow look delays the next instead
/// of racing it (a misfired run is not replayed N times: the simple trigger fires once, now).
/// </summary>
[DisallowConcurrentExecution]
public sealed class EvaluateRolloutsJob(RolloutEvaluator evaluator) : IJob
{
    public static readonly JobKey Key = new("evaluate-rollouts", "rollouts");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await evaluator.EvaluateAsync(cancellationToken);
}
