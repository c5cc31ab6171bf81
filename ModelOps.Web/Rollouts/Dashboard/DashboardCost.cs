namespace ModelOps.Web.Rollouts.Dashboard;

/// <summary>The last tick (read + render) and the last chart render in milliseconds, the circuits subscribed, and the tick count.</summary>
public sealed record DashboardCost(double TickMs, double ChartRenderMs, int Subscribers, long Ticks, DateTimeOffset At);
