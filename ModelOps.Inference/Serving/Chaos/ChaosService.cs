using ModelOps.Core.Audit;
using ModelOps.Core.Common;
using ModelOps.Core.Registry;
using ModelOps.Core.Serving.Chaos;

namespace ModelOps.Inference.Serving.Chaos;

/// <summary>
/// Sets and clears game-day faults. A change is audited first and published to the board only
/// once its row has committed, so no fault ever acts on traffic without a record of who set it.
/// </summary>
public sealed class ChaosService(RegistryCatalog catalog, AuditTrail trail, ChaosBoard board) : IChaosFaults
{
    async Task<Result<bool>> IChaosFaults.SetAsync(ChaosFaultRequest request, string actor, CancellationToken cancellationToken) =>
        (await SetAsync(request, actor, cancellationToken)).Map(_ => true);

    async Task<Result<int>> IChaosFaults.ClearAsync(string actor, CancellationToken cancellationToken) =>
        (await ClearAsync(actor, cancellationToken)).Map(cleared => cleared.Count);

    async Task<Result<bool>> IChaosFaults.RemoveAsync(string model, int version, string actor, CancellationToken cancellationToken) =>
        (await RemoveAsync(board.Find(model, version) is { } fault ? [fault] : [], $"model:{model}/versions/{version}", actor, cancellationToken)).Map(removed => removed.Count > 0);

    Error? IChaosFaults.Check(ChaosFaultRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var created = ChaosFault.Create(request.Model, request.Version ?? 0, request.AddedLatencyMs ?? 0, request.ErrorRate ?? 0, request.KpiFactor ?? 1);
        return created.IsSuccess ? null : created.Error;
    }

    public async Task<Result<ChaosFault>> SetAsync(ChaosFaultRequest request, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Version is not { } version)
        {
            return Error.Invalid("version", "'version' is required: the registered version number the fault applies to, e.g. 2.");
        }

        var created = ChaosFault.Create(request.Model, version, request.AddedLatencyMs ?? 0, request.ErrorRate ?? 0, request.KpiFactor ?? 1);
        if (!created.IsSuccess)
        {
            return created.Error;
        }

        var fault = created.Value;
        var target = $"model:{fault.Model}/versions/{fault.Version}";
        var audited = await trail.ExecuteAsync<ChaosFault>(async ct =>
        {
            // Checked under the audit gate, so the version cannot be deleted between check and row.
            var exists = await catalog.GetVersionAsync(fault.Model, fault.Version, ct);
            return exists.IsSuccess
                ? new AuditedChange<ChaosFault>(fault, new AuditRecord(actor, "chaos.set", target, fault, fault.Model))
                : exists.Error;
        }, cancellationToken);
        if (audited.IsSuccess)
        {
            board.Set(audited.Value);
        }

        return audited;
    }

    /// <summary>Clears every fault; the audit row lists them. Clearing an empty board changes nothing and writes no row.</summary>
    public Task<Result<IReadOnlyList<ChaosFault>>> ClearAsync(string actor, CancellationToken cancellationToken) =>
        RemoveAsync(board.All(), "chaos:all", actor, cancellationToken);

    private async Task<Result<IReadOnlyList<ChaosFault>>> RemoveAsync(IReadOnlyList<ChaosFault> active, string target, string actor, CancellationToken cancellationToken)
    {
        var audited = await trail.ExecuteAsync<IReadOnlyList<ChaosFault>>(
            _ => Task.FromResult<Result<AuditedChange<IReadOnlyList<ChaosFault>>>>(new AuditedChange<IReadOnlyList<ChaosFault>>(
                active,
                active.Count == 0 ? null : new AuditRecord(actor, "chaos.cleared", target, new { cleared = active }))),
            cancellationToken);
        if (audited.IsSuccess)
        {
            // Only what the row lists: a fault published after the snapshot is not in the row, so it stays active rather than vanish unrecorded.
            board.Remove(active);
        }

        return audited;
    }
}
