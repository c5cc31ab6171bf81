using System.Collections.Immutable;
using System.Diagnostics;
using System.Threading.Channels;
using ModelOps.Core.Audit;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Web.Charts;

namespace ModelOps.Web.Rollouts.Dashboard;

/// <summary>
/// The one producer of what dashboards show: every <see cref="Interval"/>, at once when asked
/// (e.g. right after an operator's command), and at once after any audited change in this process
/// (an automatic or API rollback, a step, a trigger: <see cref="Committed"/>) while a dashboard is
/// open, it reads the panels and, every
/// <see cref="ChartInterval"/>, renders each live rollout's charts, on this background loop,
/// once for everybody. Circuits only <see cref="Subscribe"/> and re-render from the shared
/// immutable <see cref="Latest"/>; ten dashboards cost one read and one render per tick. With no
/// subscriber it idles.
/// </summary>
public sealed partial class DashboardFeed(IServiceScopeFactory scopes, IServingMetrics metrics, TimeProvider time, ILogger<DashboardFeed> logger)
    : BackgroundService, IAuditCommitListener
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan ChartInterval = TimeSpan.FromSeconds(2);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, (DateTimeOffset At, string State, IReadOnlyList<RolloutChart> Charts)> _charts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    /// <summary>1 when the next tick was asked for by a page or a command (charts re-rendered), not only woken by a change.</summary>
    private int _forced;
    private ImmutableList<(Action<DashboardSnapshot> OnUpdate, bool Charts)> _subscribers = [];
    /// <summary>Completed when the next tick to start publishes: a caller that takes it sees data read after its call.</summary>
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DashboardSnapshot Latest { get; private set; } = DashboardSnapshot.Empty;

    /// <summary>How long the last tick took (read + render), and the last chart render alone: the dashboards' measured cost.</summary>
    public (TimeSpan Tick, TimeSpan ChartRender) LastCost { get; private set; }

    public int Subscribers => _subscribers.Count;

    /// <summary>
    /// Calls <paramref name="onUpdate"/> after every tick until disposed; asks for a tick now so a new
    /// page fills at once. Charts are rendered only while some subscriber shows them (<paramref name="charts"/>):
    /// the layout's banners alone cost a read, not a render.
    /// </summary>
    public IDisposable Subscribe(Action<DashboardSnapshot> onUpdate, bool charts = true)
    {
        ArgumentNullException.ThrowIfNull(onUpdate);
        var entry = (onUpdate, charts);
        ImmutableInterlocked.Update(ref _subscribers, list => list.Add(entry));
        Force();
        return new Subscription(this, entry);
    }

    /// <summary>Ticks now (charts included) and returns once the result is published: a command's outcome shows without waiting for the interval.</summary>
    public async Task RefreshNowAsync(CancellationToken cancellationToken)
    {
        Task published;
        lock (_gate)
        {
            published = _next.Task;
        }

        Force();
        await published.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Something was committed (a rollout's state, routing, a trigger, a fault): while a dashboard is
    /// open, the next tick starts now rather than at the interval, so the switch shows within a read
    /// and a push. Bursts coalesce into one pending tick; with nobody watching it costs nothing.
    /// </summary>
    public void Committed(AuditRecord record)
    {
        if (!_subscribers.IsEmpty)
        {
            _wake.Writer.TryWrite(true);
        }
    }

    private void Force()
    {
        Interlocked.Exchange(ref _forced, 1);
        _wake.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var forced = await WaitAsync(stoppingToken);
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                if (forced || !_subscribers.IsEmpty)
                {
                    await TickAsync(forced, stoppingToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A failed tick (a database hiccup) must not stop the dashboards: the next tick tries again.
                Log.TickFailed(logger, exception);
            }
        }
    }

    private async Task<bool> WaitAsync(CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var woken = _wake.Reader.WaitToReadAsync(wait.Token).AsTask();
        var delay = Task.Delay(Interval, time, wait.Token);
        await Task.WhenAny(woken, delay);
        await wait.CancelAsync();
        _wake.Reader.TryRead(out _);
        return Interlocked.Exchange(ref _forced, 0) == 1;
    }

    private async Task TickAsync(bool forced, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        TaskCompletionSource mine;
        lock (_gate)
        {
            mine = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        try
        {
            await ReadAndRenderAsync(forced, started, mine, cancellationToken);
        }
        finally
        {
            // A failed tick releases its waiters too (they see the previous snapshot; the next tick follows within the interval).
            mine.TrySetResult();
        }
    }

    private async Task ReadAndRenderAsync(bool forced, long started, TaskCompletionSource mine, CancellationToken cancellationToken)
    {
        IReadOnlyList<ModelPanel> models;
        AttentionView attention;
        await using (var scope = scopes.CreateAsyncScope())
        {
            (models, attention) = await scope.ServiceProvider.GetRequiredService<DashboardReader>().ReadAsync(cancellationToken);
        }

        var now = time.GetUtcNow();
        var render = Stopwatch.GetTimestamp();
        var rendered = false;
        var wanted = forced || _subscribers.Any(s => s.Charts);
        var panels = new List<ModelPanel>(models.Count);
        foreach (var panel in models)
        {
            if (!wanted || panel.Rollout is not { } rollout || (rollout.EndedAt is { } ended && now - ended > RolloutCharts.Span))
            {
                panels.Add(panel);
                continue;
            }

            if (!_charts.TryGetValue(rollout.Id, out var charts) || forced || charts.State != rollout.State || now - charts.At >= ChartInterval)
            {
                charts = (now, rollout.State, RolloutCharts.Build(metrics, rollout.Model, rollout.BaselineVersion, rollout.CandidateVersion, RolloutCharts.End(now), panel.Markers));
                _charts[rollout.Id] = charts;
                rendered = true;
            }

            panels.Add(panel with { Charts = charts.Charts });
        }

        var renderTime = Stopwatch.GetElapsedTime(render);
        foreach (var gone in _charts.Keys.Where(id => !panels.Any(p => p.Rollout?.Id == id)).ToList())
        {
            _charts.Remove(gone);
        }

        LastCost = (Stopwatch.GetElapsedTime(started), rendered ? renderTime : LastCost.ChartRender);
        Publish(new DashboardSnapshot(now, panels, attention, Latest.Tick + 1), mine);
    }

    private void Publish(DashboardSnapshot snapshot, TaskCompletionSource done)
    {
        Latest = snapshot;
        done.TrySetResult();
        foreach (var subscriber in _subscribers)
        {
            subscriber.OnUpdate(snapshot);
        }
    }

    private sealed class Subscription(DashboardFeed feed, (Action<DashboardSnapshot>, bool) entry) : IDisposable
    {
        public void Dispose() => ImmutableInterlocked.Update(ref feed._subscribers, list => list.Remove(entry));
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "A dashboard tick failed; the next one retries")]
        public static partial void TickFailed(ILogger logger, Exception exception);
    }
}
