using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ModelOps.Core.Audit.Checkpoints;

/// <summary>
/// The exact bytes a checkpoint's signature covers, written down so that a witness outside
/// ModelOps can check a checkpoint with any crypto library. The payload is the UTF-8 of
/// <code>
/// modelops-audit-checkpoint/v1\n{seq}\n{headHash}\n{at}\n{prevCheckpointHash}
/// </code>
/// with no trailing newline, where <c>seq</c> is invariant decimal digits, both hashes are 64
/// lowercase hex characters, and <c>at</c> is UTC as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (the very
/// string the JSON carries). No field can contain '\n', so the layout is unambiguous.
/// <para>
/// Signature: ECDSA over P-256 with SHA-256 of the payload, encoded IEEE P1363 (r‖s, 64 bytes,
/// not DER), base64. Public key: SubjectPublicKeyInfo DER, base64.
/// <c>prevCheckpointHash</c> is the lowercase hex SHA-256 of the previous checkpoint's payload
/// (<see cref="Genesis"/> for the first), so the checkpoints form their own chain.
/// </para>
/// </summary>
public static class CheckpointPayload
{
    public const string Version = "modelops-audit-checkpoint/v1";

    public const string Genesis = AuditHasher.Genesis;

    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static byte[] Encode(long seq, string headHash, DateTimeOffset at, string prevCheckpointHash) =>
        Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"{Version}\n{seq}\n{headHash}\n{FormatTime(at)}\n{prevCheckpointHash}"));

    public static string Hash(byte[] payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    public static string FormatTime(DateTimeOffset at) => at.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>The payload shows milliseconds only; a finer time would sign one instant and show another.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    public static bool IsHash(string? value) =>
        value is { Length: 64 } && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
