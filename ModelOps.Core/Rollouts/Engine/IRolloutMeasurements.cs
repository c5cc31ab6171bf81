using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>What one arm of a version served in [from, to), as the judge reads it (implemented over the serving metrics store).</summary>
public interface IRolloutMeasurements
{
    ArmMeasurements Measure(string model, int version, Arm arm, DateTimeOffset from, DateTimeOffset to);
}
