using ModelOps.Core.Audit.Checkpoints;
using ModelOps.Core.Common;

namespace ModelOps.Web.Audit;

/// <summary>
/// Reads a witness's checkpoint from the request body by hand: model binding would turn invalid
/// UTF-8 or a wrong type into a bare 400, and a checkpoint never needs more than a few hundred bytes.
/// </summary>
public static class CheckpointBody
{
    public const int MaxBytes = 16 * 1024;

    public static async Task<Result<AuditCheckpoint>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return TooLarge();
        }

        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return length > MaxBytes ? TooLarge() : CheckpointJson.Parse(buffer.AsMemory(0, length));
    }

    private static Error TooLarge() =>
        Error.TooLarge("body", $"A checkpoint body is at most {MaxBytes} bytes; send only the JSON GET /api/audit/checkpoints/latest returned.");
}
