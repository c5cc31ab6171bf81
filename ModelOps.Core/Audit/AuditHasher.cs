using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ModelOps.Core.Audit;

/// <summary>The chain's hash function, shared by the writer and the verifier.</summary>
public static class AuditHasher
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>
    /// sha256 over the previous hash and the row's fields, each length-prefixed so that no
    /// two different rows share a canonical form (a separator alone could be forged).
    /// Time is rendered as UTC ticks; the writer truncates it to what the database stores.
    /// </summary>
    public static string Compute(string prevHash, long seq, DateTimeOffset at, string actor, string action, string target, string? model, string details)
    {
        var builder = new StringBuilder(prevHash.Length + details.Length + 128);
        Append(builder, prevHash);
        Append(builder, seq.ToString(CultureInfo.InvariantCulture));
        Append(builder, at.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Append(builder, actor);
        Append(builder, action);
        Append(builder, target);
        Append(builder, model ?? string.Empty);
        Append(builder, details);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    public static string Compute(AuditEntry entry) =>
        Compute(entry.PrevHash, entry.Seq, entry.At, entry.Actor, entry.Action, entry.Target, entry.Model, entry.Details);

    private static void Append(StringBuilder builder, string value) =>
        builder.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('\n');
}
