using System.Buffers.Binary;
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
        using var rows = database.CreateRows();
        foreach (var path in journal.Leftovers)
        {
            var (items, torn) = Read(await File.ReadAllBytesAsync(path, cancellationToken));
            result = result with { Segments = result.Segments + 1, Read = result.Read + items.Count, TornSegments = result.TornSegments + (torn ? 1 : 0) };
            for (var start = 0; start < items.Count; start += batchSize)
            {
                var batch = items.GetRange(start, Math.Min(batchSize, items.Count - start));
                var (records, feedback) = await rows.InsertAsync(batch, cancellationToken, skipStored: true);
                result = result with { Records = result.Records + records, Feedback = result.Feedback + feedback };
            }

            InferenceLogJournal.DeleteLeftover(path);
        }

        return result;
    }

    /// <summary>
    /// The intact frames of one segment, up to its terminator (a zero length) or end; torn when
    /// the reading stopped at a frame that is not intact instead.
    /// </summary>
    public static (List<LogItem> Items, bool Torn) Read(ReadOnlySpan<byte> segment)
    {
        var items = new List<LogItem>();
        var offset = 0;
        while (offset + sizeof(int) <= segment.Length && BinaryPrimitives.ReadInt32LittleEndian(segment[offset..]) != 0)
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

        var clean = offset + sizeof(int) > segment.Length || BinaryPrimitives.ReadInt32LittleEndian(segment[offset..]) == 0;
        return (items, !clean);
    }
}
