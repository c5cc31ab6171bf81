using ModelOps.Web.Identity;

namespace ModelOps.Web.Rollouts.Dashboard;

/// <summary>The dashboard feed's own cost, for the dashboards harness and anyone sizing the console (read-only).</summary>
public static class DashboardEndpoints
{
    public static IEndpointRouteBuilder MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/console/dashboard").RequireAuthorization(Policies.Reviewer).WithTags("Console");
        group.MapGet("/cost", Cost);
        return app;
    }

    private static Ok<DashboardCost> Cost(DashboardFeed feed) => TypedResults.Ok(new DashboardCost(
        feed.LastCost.Tick.TotalMilliseconds, feed.LastCost.ChartRender.TotalMilliseconds, feed.Subscribers, feed.Latest.Tick, feed.Latest.At));
}
