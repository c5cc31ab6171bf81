using ModelOps.Core.Serving.Log;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// Puts what an earlier process journaled but may not have persisted into the database, before
/// this process serves: each leftover segment is read up to its first incomplete frame (the tail
/// a crash tore), inserted in batches that skip rows already stored (idempotent by request id,
/// arm, version and time), then deleted. A segment whose insert fails stays for the next start.
/// </summary>
internal static class InferenceLogReplay
{
    public static async Task<JournalReplayResult> RunAsync(
        InferenceLogJournal journal, InferenceLogDatabase database, int batchSize, CancellationToken cancellationToken)
    {
        var result = new JournalReplayResult();
        using var rows = new InferenceLogRows();
        foreach (var path in journal.Leftovers)
        {
            var (items, tornBytes) = Read(await File.ReadAllBytesAsync(path, cancellationToken));
            result = result with { Segments = result.Segments + 1, Read = result.Read + items.Count, TornBytes = result.TornBytes + tornBytes };
            for (var start = 0; start < items.Count; start += batchSize)
            {
                var batch = items.GetRange(start, Math.Min(batchSize, items.Count - start));
                await using var connection = await database.OpenAsync(cancellationToken);
                var (records, feedback) = await rows.InsertAsync(connection, batch, cancellationToken, skipStored: true);
                result = result with { Records = result.Records + records, Feedback = result.Feedback + feedback };
            }

            InferenceLogJournal.DeleteLeftover(path);
        }

        return result;
    }

    /// <summary>The intact frames of one segment, and how many bytes after them could not be read.</summary>
    public static (List<LogItem> Items, long TornBytes) Read(ReadOnlySpan<byte> segment)
    {
        var items = new List<LogItem>();
        var offset = 0;
        while (offset < segment.Length)
        {
            LogItem item;
            int consumed;
            try
            {
                if (!JournalCodec.TryDecode(segment[offset..], out item, out consumed))
                {
                    break;
                }
            }
            catch (ArgumentOutOfRangeException)
            {
                // A frame whose CRC matched but whose fields overrun it: not ours to trust.
                break;
            }

            items.Add(item);
            offset += consumed;
        }

        return (items, segment.Length - offset);
    }
}

/// <summary>What a replay found and wrote: records and feedback written are those the database did not already hold.</summary>
internal sealed record JournalReplayResult(int Segments = 0, int Read = 0, int Records = 0, int Feedback = 0, long TornBytes = 0);
