using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Inference.Serving.Caching;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;
using ModelOps.Web.Simulator;
using MudBlazor;

namespace ModelOps.Web.Components.Pages.Serving;

/// <summary>
/// Live view of what this process serves. Refreshes from in-memory state every
/// <see cref="RefreshInterval"/>; the timer starts once the circuit is interactive (not during
/// prerendering) and stops with the component.
/// </summary>
public sealed partial class ServingPage
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private PeriodicTimer? _timer;
    private Task? _refreshLoop;
    private IReadOnlyList<ServedModelView> _models = [];
    private Dictionary<string, MarkupString> _charts = new(StringComparer.Ordinal);
    private DateTimeOffset _chartsEnd = DateTimeOffset.MinValue;
    private SimulatorStatus _simulator = new(false, 0, 0, 0, 0, 0, 0);
    private double? _requestsPerSecond;
    private bool _busy;

    [Inject]
    private RoutingTableHolder Routing { get; set; } = default!;

    [Inject]
    private SessionPool Sessions { get; set; } = default!;

    [Inject]
    private IServingMetrics Metrics { get; set; } = default!;

    [Inject]
    private PredictionCache Cache { get; set; } = default!;

    [Inject]
    private TrafficSimulator Simulator { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    public void Dispose() => _timer?.Dispose();

    protected override void OnInitialized() => Refresh();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _timer = new PeriodicTimer(RefreshInterval, Time);
            _refreshLoop = RefreshLoopAsync(_timer);
        }
    }

    private async Task RefreshLoopAsync(PeriodicTimer timer)
    {
        try
        {
            // Returns false once Dispose has disposed the timer, which ends the loop.
            while (await timer.WaitForNextTickAsync())
            {
                await InvokeAsync(() =>
                {
                    Refresh();
                    StateHasChanged();
                });
            }
        }
        catch (Exception exception)
        {
            // Hands the fault to the renderer (error UI, circuit log) instead of losing it in an unobserved task.
            await DispatchExceptionAsync(exception);
        }
    }

    private void Refresh()
    {
        var now = Time.GetUtcNow();
        _models = ServingOverview.Build(Routing.Snapshot(), Sessions.States(), Metrics, Cache.Stats(), Cache.IsEnabled, now);
        _simulator = Simulator.Status;
        var chartsEnd = ServingOverview.HistoryEnd(now);
        var trafficModels = Metrics.Keys().Select(k => k.Model).Distinct(StringComparer.Ordinal).ToList();
        if (chartsEnd != _chartsEnd || !trafficModels.All(_charts.ContainsKey))
        {
            _charts = trafficModels.ToDictionary(
                model => model,
                model => new MarkupString(ServingChart.Svg(ServingOverview.RateHistory(Metrics, model, now))),
                StringComparer.Ordinal);
            _chartsEnd = chartsEnd;
        }
    }

    private Task StartAsync() => ControlAsync((control, actor) => control.StartAsync(actor, _requestsPerSecond, CancellationToken.None));

    private Task StopAsync() => ControlAsync((control, actor) => control.StopAsync(actor, CancellationToken.None));

    private async Task ControlAsync(Func<SimulatorControl, string, Task<SimulatorStatus>> action)
    {
        _busy = true;
        try
        {
            await using var scope = ScopeFactory.CreateAsyncScope();
            _simulator = await action(scope.ServiceProvider.GetRequiredService<SimulatorControl>(), await ActorAsync());
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task<string> ActorAsync() =>
        AuthenticationState is null ? "unknown" : (await AuthenticationState).User.Identity?.Name ?? "unknown";

    private static Color HealthColor(SessionState? session) => session?.Health switch
    {
        SessionHealth.Healthy => Color.Success,
        SessionHealth.Unhealthy => Color.Error,
        SessionHealth.Retired => Color.Warning,
        _ => Color.Default,
    };
}
