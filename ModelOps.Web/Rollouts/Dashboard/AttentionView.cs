namespace ModelOps.Web.Rollouts.Dashboard;

/// <summary>What must not be missed, shown as banners on every console page.</summary>
public sealed record AttentionView(
    IReadOnlyList<string> ChronicallyFailing,
    IReadOnlyList<(string Id, string Model)> NotRecovered,
    int PendingApprovals,
    IReadOnlyList<string> ChaosFaults)
{
    public static AttentionView None { get; } = new([], [], 0, []);
}
