using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelOps.Core.Serving.Log;
using ModelOps.Inference.Serving.Log;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Log;

/// <summary>
/// The journal on its own and under a real writer and SQLite file. A "crash" here is a writer
/// that is never stopped: what it accepted sits only in the journal, as after a killed process
/// (the child-process SIGKILL test is <see cref="InferenceLogCrashTests"/>).
/// </summary>
public sealed class InferenceLogJournalTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "modelops-journal-" + Guid.NewGuid().ToString("N"));

    /// <summary>For the tests that never reach a database: the writer is not started.</summary>
    private static readonly InferenceLogDatabase Unused = new SqliteInferenceLogDatabase("Data Source=:memory:");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Codec_RecordWithPersonalFeature_RoundTripsMasked()
    {
        var record = LogRecords.Record("req-1");

        var frame = new JournalCodec().Encode(new LogItem(record, null)).ToArray();
        Assert.True(JournalCodec.TryDecode(frame, out var item, out var consumed));

        var back = item.Record!;
        Assert.Equal(frame.Length, consumed);
        Assert.Equal("***", back.Features!["email"].Text);
        Assert.Equal(31, back.Features["age"].Number);
        Assert.DoesNotContain("ada@example.com", System.Text.Encoding.UTF8.GetString(frame), StringComparison.Ordinal);
        Assert.Equal((record.RequestId, record.At, record.Arm, record.Region, record.Score, record.Status), (back.RequestId, back.At, back.Arm, back.Region, back.Score, back.Status));
        Assert.Equal(record.Input, back.Input);
        Assert.Equal(("ctr-features", 3), (back.EncoderSpec!.Name, back.EncoderSpec.Version));
    }

    [Fact]
    public void Codec_FlippedByteInPayload_IsNotDecoded()
    {
        var frame = new JournalCodec().Encode(new LogItem(null, LogRecords.Feedback("req-1", LogRecords.Start))).ToArray();
        frame[^3] ^= 0x40;

        Assert.False(JournalCodec.TryDecode(frame, out _, out _));
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Start_AfterWriterNeverStopped_ReplaysEveryRecordAndFeedbackOnce(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        Crash(log.Database, records: 300, feedback: 40);

        await RestartAsync(log.Database);

        await using var db = log.NewContext();
        Assert.Equal(300, await db.Set<InferenceLogEntry>().Select(e => e.RequestId).Distinct().CountAsync());
        Assert.Equal(300, await db.Set<InferenceLogEntry>().CountAsync());
        Assert.Equal(40, await db.Set<InferenceFeedback>().CountAsync());
        Assert.Equal("{\"age\":31,\"email\":\"***\",\"country\":\"de\"}", (await db.Set<InferenceLogEntry>().FirstAsync()).FeaturesJson);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Replay_SegmentWhoseRowsAreAlreadyStored_WritesNothingTwice(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        Crash(log.Database, records: 100, feedback: 10);
        var copies = Directory.GetFiles(_directory).ToDictionary(path => path, File.ReadAllBytes);
        await RestartAsync(log.Database);
        foreach (var (path, bytes) in copies)
        {
            await File.WriteAllBytesAsync(path, bytes);
        }

        await RestartAsync(log.Database);

        await using var db = log.NewContext();
        Assert.Equal(100, await db.Set<InferenceLogEntry>().CountAsync());
        Assert.Equal(10, await db.Set<InferenceFeedback>().CountAsync());
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Replay_TornLastFrame_KeepsTheIntactOnesAndIgnoresTheTail(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        Crash(log.Database, records: 50, feedback: 0);
        var segment = Directory.GetFiles(_directory).Single();
        var bytes = await File.ReadAllBytesAsync(segment);
        var last = 0;
        for (var offset = 0; JournalCodec.TryDecode(bytes.AsSpan(offset), out _, out var consumed); offset += consumed)
        {
            last = offset;
        }

        // Garble the end of the last frame, as a power loss in the middle of its write would.
        bytes[last + 20] ^= 0xFF;
        await File.WriteAllBytesAsync(segment, bytes);

        await RestartAsync(log.Database);

        await using var db = log.NewContext();
        Assert.Equal(49, await db.Set<InferenceLogEntry>().CountAsync());
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Release_AfterBatchesPersistAcrossRotations_LeavesNoSegmentBehind(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        using var journal = InferenceLogJournal.Open(_directory, segmentBytes: 4_096, periodicSync: true);
        var writer = Writer(log.Database, journal);
        await writer.StartAsync(CancellationToken.None);
        for (var i = 0; i < 500; i++)
        {
            writer.Enqueue(LogRecords.Record($"req-{i}"));
        }

        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(new InferenceLogStats(500, 500, 0, 0, 0), writer.Stats);
        var (left, _) = InferenceLogReplay.Read(File.ReadAllBytes(Directory.GetFiles(_directory).Single()));
        Assert.Empty(left);
        journal.Dispose();
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void Append_QueueFull_NothingJournaledForTheDroppedRecord()
    {
        using var journal = InferenceLogJournal.Open(_directory, segmentBytes: 1 << 20, periodicSync: false);
        var writer = Writer(Unused, journal, capacity: 5);

        for (var i = 0; i < 8; i++)
        {
            writer.Enqueue(LogRecords.Record($"req-{i}"));
        }

        var (items, torn) = InferenceLogReplay.Read(File.ReadAllBytes(Directory.GetFiles(_directory).Single()));
        Assert.Equal(3, writer.Stats.Dropped);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"req-{i}"), items.Select(item => item.Record!.RequestId));
        Assert.False(torn);
    }

    /// <summary>A writer that accepts and journals but is never started or stopped: its queue dies with it.</summary>
    private void Crash(InferenceLogDatabase database, int records, int feedback)
    {
        using var journal = InferenceLogJournal.Open(_directory, segmentBytes: 1 << 20, periodicSync: false);
        var writer = Writer(database, journal);
        for (var i = 0; i < records; i++)
        {
            writer.Enqueue(LogRecords.Record($"req-{i}", at: LogRecords.Start.AddMilliseconds(i)));
        }

        for (var i = 0; i < feedback; i++)
        {
            writer.EnqueueFeedback(LogRecords.Feedback($"req-{i}", LogRecords.Start.AddSeconds(1)));
        }

        // Disposing closes the segment and keeps what it holds; the queue is lost, as in a kill.
    }

    private async Task RestartAsync(InferenceLogDatabase database)
    {
        using var journal = InferenceLogJournal.Open(_directory, segmentBytes: 1 << 20, periodicSync: false);
        var writer = Writer(database, journal);
        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);
    }

    private static InferenceLogWriter Writer(InferenceLogDatabase database, InferenceLogJournal journal, int capacity = 100_000) =>
        LogRecords.Writer(database, capacity, journal: journal);
}
