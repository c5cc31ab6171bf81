namespace ModelOps.Web.Rollouts.Dashboard;

/// <summary>What every open dashboard shows at one tick of <see cref="DashboardFeed"/>; immutable, shared by all circuits.</summary>
public sealed record DashboardSnapshot(DateTimeOffset At, IReadOnlyList<ModelPanel> Models, AttentionView Attention, long Tick)
{
    public static DashboardSnapshot Empty { get; } = new(DateTimeOffset.MinValue, [], AttentionView.None, 0);
}
