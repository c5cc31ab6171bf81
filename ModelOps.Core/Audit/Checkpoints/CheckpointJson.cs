using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using ModelOps.Core.Common;

namespace ModelOps.Core.Audit.Checkpoints;

/// <summary>
/// The one JSON shape of a checkpoint, shared by the checkpoint file, the API and witnesses:
/// <c>{ "seq", "headHash", "at", "prevCheckpointHash", "signature", "publicKey" }</c>.
/// Parsing names the offending field, so a witness's malformed body gets a 400 that says what to fix.
/// </summary>
public static class CheckpointJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 4 };

    public static string Serialize(AuditCheckpoint checkpoint)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("seq", checkpoint.Seq);
            writer.WriteString("headHash", checkpoint.HeadHash);
            writer.WriteString("at", CheckpointPayload.FormatTime(checkpoint.At));
            writer.WriteString("prevCheckpointHash", checkpoint.PrevCheckpointHash);
            writer.WriteString("signature", checkpoint.Signature);
            if (checkpoint.PublicKey is not null)
            {
                writer.WriteString("publicKey", checkpoint.PublicKey);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static Result<AuditCheckpoint> Parse(ReadOnlyMemory<byte> utf8)
    {
        if (!Utf8.IsValid(utf8.Span))
        {
            return Error.Invalid("body", "The body is not valid UTF-8; send the checkpoint JSON exactly as GET /api/audit/checkpoints/latest returned it.");
        }

        try
        {
            using var document = JsonDocument.Parse(utf8, DocumentOptions);
            return Read(document.RootElement);
        }
        catch (JsonException exception)
        {
            return Error.Invalid("body", $"The body is not valid JSON (line {exception.LineNumber}, byte {exception.BytePositionInLine}); send {{ \"seq\", \"headHash\", \"at\", \"prevCheckpointHash\", \"signature\", \"publicKey\" }}.");
        }
    }

    private static Result<AuditCheckpoint> Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Error.Invalid("body", "The body must be a JSON object: { \"seq\", \"headHash\", \"at\", \"prevCheckpointHash\", \"signature\", \"publicKey\" }.");
        }

        if (!root.TryGetProperty("seq", out var seqElement) || seqElement.ValueKind != JsonValueKind.Number || !seqElement.TryGetInt64(out var seq) || seq < 1)
        {
            return Error.Invalid("seq", "\"seq\" must be the whole number of audit rows the checkpoint anchors (1 or more).");
        }

        if (Hash(root, "headHash") is not { } headHash)
        {
            return Error.Invalid("headHash", "\"headHash\" must be the anchored row's hash: 64 lowercase hex characters.");
        }

        if (!root.TryGetProperty("at", out var atElement) || atElement.ValueKind != JsonValueKind.String || !atElement.TryGetDateTimeOffset(out var at))
        {
            return Error.Invalid("at", "\"at\" must be an ISO-8601 time, e.g. 2026-11-23T12:00:00.000Z.");
        }

        if (Hash(root, "prevCheckpointHash") is not { } prev)
        {
            return Error.Invalid("prevCheckpointHash", "\"prevCheckpointHash\" must be 64 lowercase hex characters.");
        }

        if (OptionalString(root, "signature") is not { Length: > 0 } signature)
        {
            return Error.Invalid("signature", "\"signature\" must be the base64 ECDSA P-256 signature the server issued with the checkpoint.");
        }

        if (root.TryGetProperty("publicKey", out var keyElement) && keyElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            return Error.Invalid("publicKey", "\"publicKey\" must be a base64 string when present.");
        }

        return new AuditCheckpoint(seq, headHash, at.ToUniversalTime(), prev, signature, OptionalString(root, "publicKey"));
    }

    private static string? Hash(JsonElement root, string name) =>
        OptionalString(root, name) is { } value && CheckpointPayload.IsHash(value) ? value : null;

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
}
