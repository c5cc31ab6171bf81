using System.Text.Json;
using ModelOps.Core.Audit;

namespace ModelOps.Web.Audit;

/// <summary>An audit row as the contract shows it; <see cref="Details"/> is a JSON object, not a string.</summary>
public sealed record AuditEntryView(long Seq, DateTimeOffset At, string Actor, string Action, string Target, string? Model, JsonElement Details, string Hash, string PrevHash)
{
    public static AuditEntryView From(AuditEntry entry)
    {
        using var details = JsonDocument.Parse(entry.Details);
        return new AuditEntryView(entry.Seq, entry.At, entry.Actor, entry.Action, entry.Target, entry.Model, details.RootElement.Clone(), entry.Hash, entry.PrevHash);
    }
}
