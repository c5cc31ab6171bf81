using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using ModelOps.Core.Incidents;

namespace ModelOps.Core.Notifications;

/// <summary>
/// Hooks every save of the main database: an incident added, or whose status or verification
/// changed, gets one outbox row per configured webhook in the same save — hence in the same
/// transaction as the change (the audit trail's), so an event is never lost to a crash and never
/// sent for a change that rolled back. Sees only tracked changes: a bulk
/// <c>ExecuteUpdate</c> on incidents would bypass it.
/// </summary>
public sealed class IncidentOutbox(IOptionsMonitor<NotificationOptions> options, TimeProvider time) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Enqueue(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Enqueue(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Enqueue(DbContext? context)
    {
        var webhooks = options.CurrentValue.Webhooks;
        if (context is null || webhooks.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var entry in context.ChangeTracker.Entries<Incident>().ToList())
        {
            foreach (var type in EventsOf(entry))
            {
                var body = new IncidentEvent($"evt-{Guid.NewGuid():N}", type, now, IncidentSnapshot.From(entry.Entity));
                var json = body.ToJson();
                foreach (var webhook in webhooks)
                {
                    context.Add(new NotificationDelivery
                    {
                        Id = $"nd-{Guid.NewGuid():N}",
                        EventId = body.Id,
                        EventType = type,
                        IncidentId = entry.Entity.Id,
                        Url = webhook.Url!, // Validated at start: every webhook has a URL.
                        Body = json,
                        Status = DeliveryStatuses.Pending,
                        CreatedAt = now,
                        NextAttemptAt = now,
                    });
                }
            }
        }
    }

    /// <summary>What the pending change of one incident announces (a value set to what it was announces nothing).</summary>
    internal static IReadOnlyList<string> EventsOf(EntityEntry<Incident> entry)
    {
        if (entry.State == EntityState.Added)
        {
            return [IncidentEvents.Opened];
        }

        if (entry.State != EntityState.Modified)
        {
            return [];
        }

        var events = new List<string>(2);
        if (Changed(entry.Property(i => i.VerificationStatus)))
        {
            events.Add(IncidentEvents.VerificationRecorded);
        }

        if (Changed(entry.Property(i => i.Status)))
        {
            events.Add(entry.Entity.Status == IncidentStates.Closed ? IncidentEvents.Closed : IncidentEvents.StatusChanged);
        }

        return events;
    }

    private static bool Changed(PropertyEntry<Incident, string> property) =>
        property.IsModified && !string.Equals(property.OriginalValue, property.CurrentValue, StringComparison.Ordinal);
}
