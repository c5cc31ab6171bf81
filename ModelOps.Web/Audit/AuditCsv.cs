using System.Globalization;
using ModelOps.Core.Audit;

namespace ModelOps.Web.Audit;

/// <summary>RFC 4180 CSV of audit rows.</summary>
public static class AuditCsv
{
    public const string Header = "seq,at,actor,action,target,model,details,hash,prevHash";

    public static string Row(AuditEntry e) => string.Join(',',
        e.Seq.ToString(CultureInfo.InvariantCulture),
        e.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        Quote(e.Actor),
        Quote(e.Action),
        Quote(e.Target),
        Quote(e.Model ?? string.Empty),
        Quote(e.Details),
        e.Hash,
        e.PrevHash);

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
