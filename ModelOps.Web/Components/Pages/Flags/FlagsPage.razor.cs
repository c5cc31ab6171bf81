using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Serving.Log;
using ModelOps.Web.Identity;
using ModelOps.Web.Rollouts;

namespace ModelOps.Web.Components.Pages.Flags;

/// <summary>
/// Both soft triggers that come from people, on one page: a spot check (any console role, as
/// the API's Reviewer policy allows) through <see cref="SpotChecks"/>, and a corrupted dataset
/// (Operator) through <see cref="DatasetFlags"/>, the services the API's flag endpoints call.
/// </summary>
public sealed partial class FlagsPage
{
    private readonly HashSet<string> _picked = new(StringComparer.Ordinal);
    private IReadOnlyList<Rollout> _rollouts = [];
    private IReadOnlyList<InferenceLogEntry> _predictions = [];
    private IReadOnlyList<DatasetUse> _datasets = [];
    private string? _rolloutId;
    private string? _extraIds;
    private string? _note;
    private string? _hash;
    private string? _datasetReason;
    private string? _message;
    private bool _failed;
    private bool _isOperator;
    private bool _busy;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!; // Set by DI.

    [Inject]
    private IAuthorizationService Authorization { get; set; } = null!; // Set by DI.

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = null!; // Cascaded by the router.

    /// <summary>Preselects a rollout, e.g. <c>/flags?rollout=ro-…</c>.</summary>
    [SupplyParameterFromQuery(Name = "rollout")]
    public string? InitialRollout { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _isOperator = (await Authorization.AuthorizeAsync((await AuthenticationState).User, Policies.Operator)).Succeeded;
        await LoadAsync(InitialRollout);
    }

    private async Task LoadAsync(string? rolloutId)
    {
        await using var scope = ScopeFactory.CreateAsyncScope();
        var candidates = ActivatorUtilities.CreateInstance<FlagCandidates>(scope.ServiceProvider);
        _rollouts = await candidates.ActiveRolloutsAsync(CancellationToken.None);
        _datasets = await candidates.DatasetsAsync(CancellationToken.None);
        await RolloutChangedAsync(_rollouts.FirstOrDefault(r => r.Id == rolloutId)?.Id ?? _rollouts.FirstOrDefault()?.Id);
    }

    private async Task RolloutChangedAsync(string? rolloutId)
    {
        _rolloutId = rolloutId;
        _picked.Clear();
        _predictions = [];
        if (_rollouts.FirstOrDefault(r => r.Id == rolloutId) is { } rollout)
        {
            await using var scope = ScopeFactory.CreateAsyncScope();
            _predictions = await ActivatorUtilities.CreateInstance<FlagCandidates>(scope.ServiceProvider).RecentPredictionsAsync(rollout, CancellationToken.None);
        }
    }

    private void Pick(string requestId, bool on)
    {
        if (on)
        {
            _picked.Add(requestId);
        }
        else
        {
            _picked.Remove(requestId);
        }
    }

    private List<string> PickedIds() =>
        [.. _picked.Concat((_extraIds ?? string.Empty).Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)];

    private async Task FlagPredictionsAsync()
    {
        var user = (await AuthenticationState).User;
        if (!await ConsoleGuard.AllowsAsync(Authorization, ScopeFactory, user, Policies.Reviewer, "spot check", CancellationToken.None))
        {
            Show("A spot check needs a console role; refused and audited.", failed: true);
            return;
        }

        _busy = true;
        try
        {
            await using var scope = ScopeFactory.CreateAsyncScope();
            var raised = await scope.ServiceProvider.GetRequiredService<SpotChecks>().FlagAsync(_rolloutId ?? string.Empty, PickedIds(), _note, user.Identity?.Name ?? "unknown", CancellationToken.None);
            Show(raised.IsSuccess ? $"Flagged; rollout {_rolloutId} now waits for an Approver ({raised.Value.Id})." : raised.Error.Detail, !raised.IsSuccess);
            if (raised.IsSuccess)
            {
                (_note, _extraIds) = (null, null);
                await LoadAsync(_rolloutId);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task FlagDatasetAsync()
    {
        var user = (await AuthenticationState).User;
        if (!await ConsoleGuard.AllowsAsync(Authorization, ScopeFactory, user, Policies.Operator, "flag dataset", CancellationToken.None))
        {
            Show("Flagging a dataset needs the Operator role; refused and audited.", failed: true);
            return;
        }

        _busy = true;
        try
        {
            await using var scope = ScopeFactory.CreateAsyncScope();
            var flagged = await scope.ServiceProvider.GetRequiredService<DatasetFlags>().FlagAsync(_hash ?? string.Empty, _datasetReason, user.Identity?.Name ?? "unknown", CancellationToken.None);
            Show(flagged.IsSuccess
                ? flagged.Value.Created ? $"Flagged {_hash}; {flagged.Value.RolloutsTriggered.Count} active rollout(s) got a soft trigger." : "Already flagged; nothing changed."
                : flagged.Error.Detail, !flagged.IsSuccess);
            if (flagged.IsSuccess)
            {
                (_hash, _datasetReason) = (null, null);
                await LoadAsync(_rolloutId);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private void Show(string message, bool failed) => (_message, _failed) = (message, failed);
}
