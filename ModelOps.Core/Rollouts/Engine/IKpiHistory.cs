using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>Hourly served requests and outcome sums of a version from the persisted inference log and feedback (not the in-memory window).</summary>
public interface IKpiHistory
{
    Task<IReadOnlyList<HourlyKpi>> HourlyAsync(string model, int version, DateTimeOffset from, CancellationToken cancellationToken);
}
