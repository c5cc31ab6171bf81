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
public sealed class InferenceLogJournalTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "modelops-journal-" + Guid.NewGuid().ToString("N"));
    private MigratedInferenceLogFile _database = null!; // Set in InitializeAsync, before any test runs.

    public async Task InitializeAsync() => _database = await MigratedInferenceLogFile.CreateAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
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

    [Fact]
    public async Task Start_AfterWriterNeverStopped_ReplaysEveryRecordAndFeedbackOnce()
    {
        Crash(records: 300, feedback: 40);

        await RestartAsync();

        await using var db = _database.NewContext();
        Assert.Equal(300, await db.Set<InferenceLogEntry>().Select(e => e.RequestId).Distinct().CountAsync());
        Assert.Equal(300, await db.Set<InferenceLogEntry>().CountAsync());
        Assert.Equal(40, await db.Set<InferenceFeedback>().CountAsync());
        Assert.Equal("{\"age\":31,\"email\":\"***\",\"country\":\"de\"}", (await db.Set<InferenceLogEntry>().FirstAsync()).FeaturesJson);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Replay_SegmentWhoseRowsAreAlreadyStored_WritesNothingTwice()
    {
        Crash(records: 100, feedback: 10);
        var copies = Directory.GetFiles(_directory).ToDictionary(path => path, File.ReadAllBytes);
        await RestartAsync();
        foreach (var (path, bytes) in copies)
        {
            await File.WriteAllBytesAsync(path, bytes);
        }

        await RestartAsync();

        await using var db = _database.NewContext();
        Assert.Equal(100, await db.Set<InferenceLogEntry>().CountAsync());
        Assert.Equal(10, await db.Set<InferenceFeedback>().CountAsync());
    }

    [Fact]
    public async Task Replay_TornLastFrame_KeepsTheIntactOnesAndIgnoresTheTail()
    {
        Crash(records: 50, feedback: 0);
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

        await RestartAsync();

        await using var db = _database.NewContext();
        Assert.Equal(49, await db.Set<InferenceLogEntry>().CountAsync());
    }

    [Fact]
    public async Task Release_AfterBatchesPersistAcrossRotations_LeavesNoSegmentBehind()
    {
        using var journal = InferenceLogJournal.Open(_directory, segmentBytes: 4_096, periodicSync: true);
        var writer = Writer(journal);
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
        var writer = Writer(journal, capacity: 5);

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
    private void Crash(int records, int feedback)
    {
        using var journal = InferenceLogJournal.Open(_directory, segmentBytes: 1 << 20, periodicSync: false);
        var writer = Writer(journal);
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

    private async Task RestartAsync()
    {
        using var journal = InferenceLogJournal.Open(_directory, segmentBytes: 1 << 20, periodicSync: false);
        var writer = Writer(journal);
        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);
    }

    private InferenceLogWriter Writer(InferenceLogJournal journal, int capacity = 100_000) => new(
        new InferenceLogDatabase(_database.ConnectionString),
        Options.Create(new InferenceLogOptions { Capacity = capacity, FlushIntervalMs = 20 }),
        TimeProvider.System,
        NullLogger<InferenceLogWriter>.Instance,
        journal);
}
