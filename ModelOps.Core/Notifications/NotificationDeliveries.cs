using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Common;
using ModelOps.Core.Persistence;

namespace ModelOps.Core.Notifications;

/// <summary>Reads the outbox: each event's delivery outcome per webhook, newest first.</summary>
public sealed class NotificationDeliveries(ModelOpsDbContext db)
{
    public const int MaxLimit = 1_000;

    public async Task<Result<IReadOnlyList<NotificationDelivery>>> ListAsync(string? status, string? incidentId, int? limit, CancellationToken cancellationToken)
    {
        if (status is not null && !DeliveryStatuses.All.Contains(status))
        {
            return Error.Invalid("status", $"status '{status}' is not one of {string.Join(", ", DeliveryStatuses.All)}.");
        }

        if (limit is < 1 or > MaxLimit)
        {
            return Error.Invalid("limit", $"limit {limit} is outside 1..{MaxLimit}.");
        }

        var rows = db.Set<NotificationDelivery>().AsNoTracking();
        rows = status is null ? rows : rows.Where(d => d.Status == status);
        rows = incidentId is null ? rows : rows.Where(d => d.IncidentId == incidentId);
        var list = await rows.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id).Take(limit ?? 100).ToListAsync(cancellationToken);
        return Result<IReadOnlyList<NotificationDelivery>>.Success(list);
    }
}
