using ModelOps.Core.Common;

namespace ModelOps.Core.Serving.Chaos;

/// <summary>
/// Game-day faults as the rollout engine and game days drive them (implemented by the inference
/// plane). Every change is audited before it acts on traffic.
/// </summary>
public interface IChaosFaults
{
    /// <summary>Puts a fault on one registered version (replacing its previous one).</summary>
    Task<Result<bool>> SetAsync(ChaosFaultRequest request, string actor, CancellationToken cancellationToken);

    /// <summary>Clears every fault; returns how many were active.</summary>
    Task<Result<int>> ClearAsync(string actor, CancellationToken cancellationToken);

    /// <summary>Clears the fault on one version, if any (audited when there was one); true when one was removed.</summary>
    Task<Result<bool>> RemoveAsync(string model, int version, string actor, CancellationToken cancellationToken);

    /// <summary>Whether <see cref="SetAsync"/> would accept the fault's values (null), or the field at fault; checks no registry.</summary>
    Error? Check(ChaosFaultRequest request);
}
