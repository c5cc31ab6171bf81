using ModelOps.Core.Identity;
using ModelOps.Core.Notifications;
using ModelOps.Web.Hosting;

namespace ModelOps.Web.Notifications;

/// <summary>Outbound incident webhooks: the outcome of every delivery (Admin or Reviewer; URLs can be sensitive, so not every role).</summary>
public static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notifications")
            .RequireAuthorization(policy => policy.RequireRole(Roles.Reviewer, Roles.Admin))
            .WithTags("Notifications");
        group.MapGet("/deliveries", ListAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(string? status, string? incidentId, int? limit, NotificationDeliveries deliveries, CancellationToken cancellationToken)
    {
        var list = await deliveries.ListAsync(status, incidentId, limit, cancellationToken);
        return list.IsSuccess ? TypedResults.Ok(list.Value.Select(DeliveryView.From).ToList()) : list.Error.ToProblem();
    }
}
