using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Web.Identity;
using ModelOps.Web.Rollouts;
using MudBlazor;

namespace ModelOps.Web.Components.Pages.Approvals;

/// <summary>
/// The approvals queue: pending soft triggers with their evidence and chart, decided ones below.
/// Polls the database every <see cref="RefreshSeconds"/> s; charts are redrawn at most every
/// <see cref="ChartSeconds"/> s, off the render path. A decision goes through
/// <see cref="RolloutApprovals.DecideAsync"/>, the service the API's decision endpoint calls.
/// </summary>
public sealed partial class ApprovalsPage
{
    public const int RefreshSeconds = 2;
    public const int ChartSeconds = 10;
    private const int DecidedShown = 50;

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, string? Svg)> _charts = new(StringComparer.Ordinal);
    private ApprovalBoard? _board;
    private string? _userName;
    private bool _isApprover;
    private string? _error;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!; // Set by DI.

    [Inject]
    private IAuthorizationService Authorization { get; set; } = null!; // Set by DI.

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!; // Set by DI.

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = null!; // Cascaded by the router.

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        _userName = user.Identity?.Name;
        _isApprover = (await Authorization.AuthorizeAsync(user, Policies.Approver)).Succeeded;
        await LoadAsync();
        StartPolling(TimeSpan.FromSeconds(RefreshSeconds));
    }

    protected override async Task LoadAsync()
    {
        await using var scope = ScopeFactory.CreateAsyncScope();
        _board = await ActivatorUtilities.CreateInstance<ApprovalQueue>(scope.ServiceProvider).LoadAsync(DecidedShown, Disposed);
        var metrics = scope.ServiceProvider.GetService<IServingMetrics>();
        var now = Time.GetUtcNow();
        foreach (var item in _board.Pending)
        {
            if (metrics is not null && (!_charts.TryGetValue(item.Approval.Id, out var chart) || now - chart.At >= TimeSpan.FromSeconds(ChartSeconds)))
            {
                _charts[item.Approval.Id] = (now, _charts.TryGetValue(item.Approval.Id, out var old) ? old.Svg : null);
                _ = DrawAsync(metrics, item, now);
            }
        }
    }

    /// <summary>ScottPlot's SVG takes tens of milliseconds: drawn on the thread pool, then shown at the next render.</summary>
    private async Task DrawAsync(IServingMetrics metrics, ApprovalItem item, DateTimeOffset now)
    {
        try
        {
            var svg = await Task.Run(() => ApprovalChart.Svg(metrics, item, now), Disposed);
            _charts[item.Approval.Id] = (now, svg);
            await InvokeAsync(StateHasChanged);
        }
        catch (OperationCanceledException)
        {
            // The page closed before the chart was drawn.
        }
    }

    private string? ChartOf(string approvalId) => _charts.TryGetValue(approvalId, out var chart) ? chart.Svg : null;

    private async Task DecideAsync(ApprovalDecision decision)
    {
        var user = (await AuthenticationState).User;
        if (!await ConsoleGuard.AllowsAsync(Authorization, ScopeFactory, user, Policies.Approver, $"decide approval {decision.Item.Approval.Id}", Disposed))
        {
            _error = "Deciding an approval needs the Approver role; the decision was refused and the attempt audited.";
            return;
        }

        await using (var scope = ScopeFactory.CreateAsyncScope())
        {
            var decided = await scope.ServiceProvider.GetRequiredService<RolloutApprovals>().DecideAsync(
                decision.Item.RolloutId, decision.Item.Approval.Id, decision.Decision, decision.Reason, user.Identity?.Name ?? "unknown", Disposed);
            _error = decided.IsSuccess ? null : decided.Error.Detail;
            if (decided.IsSuccess)
            {
                Snackbar.Add($"{decision.Decision}: {decided.Value.Transition.Detail}", Severity.Success);
            }
        }

        await LoadAsync();
    }
}
