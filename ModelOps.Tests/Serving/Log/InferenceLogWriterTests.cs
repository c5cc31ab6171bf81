using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Serving.Log;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Log;

public sealed class InferenceLogWriterTests : IAsyncLifetime
{
    private MigratedInferenceLogFile _database = null!; // Set in InitializeAsync, before any test runs.

    public async Task InitializeAsync() => _database = await MigratedInferenceLogFile.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Stop_RecordsFromConcurrentThreads_PersistsEveryOne()
    {
        var writer = LogRecords.Writer(_database);
        await writer.StartAsync(CancellationToken.None);

        var threads = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 2_500; i++)
            {
                writer.Enqueue(LogRecords.Record($"req-{t}-{i}"));
            }
        }));
        await Task.WhenAll(threads);
        await writer.StopAsync(CancellationToken.None);

        await using var db = _database.NewContext();
        Assert.Equal(20_000, await db.Set<InferenceLogEntry>().CountAsync());
        Assert.Equal(20_000, await db.Set<InferenceLogEntry>().Select(e => e.RequestId).Distinct().CountAsync());
        Assert.Equal(new InferenceLogStats(20_000, 20_000, 0, 0, 0), writer.Stats);
    }

    [Fact]
    public async Task Enqueue_QueueFullWhileConsumerBlocked_DropsNewestAndCountsThem()
    {
        // Not started: the consumer is blocked for the whole burst, so exactly capacity items fit.
        var writer = LogRecords.Writer(_database, capacity: 10);

        for (var i = 0; i < 100; i++)
        {
            writer.Enqueue(LogRecords.Record($"req-{i}"));
        }

        var during = writer.Stats;
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal((100, 90, 10), (during.Enqueued, during.Dropped, during.QueueDepth));
        var after = writer.Stats;
        Assert.Equal(after.Enqueued, after.Persisted + after.Dropped);
        await using var db = _database.NewContext();
        var stored = await db.Set<InferenceLogEntry>().OrderBy(e => e.Id).Select(e => e.RequestId).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"req-{i}"), stored);
    }

    [Fact]
    public async Task Enqueue_AfterStop_IsDroppedAndCounted()
    {
        var writer = LogRecords.Writer(_database);
        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        writer.Enqueue(LogRecords.Record("late"));

        Assert.Equal(new InferenceLogStats(1, 0, 1, 0, 0), writer.Stats);
    }

    [Fact]
    public async Task Enqueue_WhileRunning_PartialBatchIsWrittenAfterFlushInterval()
    {
        var writer = LogRecords.Writer(_database, batchSize: 512, flushIntervalMs: 20);
        await writer.StartAsync(CancellationToken.None);

        writer.Enqueue(LogRecords.Record("single"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (writer.Stats.Persisted == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, writer.Stats.Persisted);
        await writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Stop_Record_StoresColumnsReadableThroughEf()
    {
        var at = LogRecords.Start.AddMilliseconds(1234);
        var record = LogRecords.Record("r1", at, arm: Arm.Shadow) with { Status = RequestStatus.Timeout, Error = "deadline", Score = null };

        await LogRecords.PersistAsync(_database, [record]);

        await using var db = _database.NewContext();
        var entry = await db.Set<InferenceLogEntry>().SingleAsync();
        Assert.Equal(("r1", at, "shadow", "timeout", "deadline"), (entry.RequestId, entry.At, entry.Arm, entry.Status, entry.Error));
        Assert.Equal(("ctr-features@3", "user-7", "eu"), (entry.Encoder, entry.RoutingKey, entry.Region));
        Assert.Equal(("[0.25,-1.5,1]", "[0.7]", (double?)null, 1.25), (entry.InputJson, entry.OutputsJson, entry.Score, entry.LatencyMs));
    }

    [Fact]
    public async Task Stop_RecordWithPersonalFeature_StoresItMasked()
    {
        await LogRecords.PersistAsync(_database, [LogRecords.Record("r1")]);

        await using var db = _database.NewContext();
        var features = await db.Set<InferenceLogEntry>().Select(e => e.FeaturesJson).SingleAsync();
        Assert.Equal("""{"age":31,"email":"***","country":"de"}""", features);
    }

    [Fact]
    public async Task Stop_RecordWithoutEncoder_StoresNullEncoderAndFeatures()
    {
        var record = LogRecords.Record("r1") with { EncoderSpec = null, Features = null };

        await LogRecords.PersistAsync(_database, [record]);

        await using var db = _database.NewContext();
        var entry = await db.Set<InferenceLogEntry>().SingleAsync();
        Assert.Equal((null, null), (entry.Encoder, entry.FeaturesJson));
    }

    [Fact]
    public async Task Stop_Feedback_StoredInSameBatchingAndCounted()
    {
        var writer = LogRecords.Writer(_database);
        await writer.StartAsync(CancellationToken.None);
        writer.Enqueue(LogRecords.Record("r1"));
        writer.EnqueueFeedback(LogRecords.Feedback("r1", LogRecords.Start.AddSeconds(5), outcome: 1));

        await writer.StopAsync(CancellationToken.None);

        await using var db = _database.NewContext();
        var feedback = await db.Set<InferenceFeedback>().SingleAsync();
        Assert.Equal(("r1", "ctr", 1, "baseline", 1.0, LogRecords.Start.AddSeconds(5)),
            (feedback.RequestId, feedback.Model, feedback.Version, feedback.Arm, feedback.Outcome, feedback.ReceivedAt));
        Assert.Equal(new InferenceLogStats(2, 1, 0, 0, 1), writer.Stats);
    }

    [Fact]
    public void EnqueueFeedback_NonFiniteOutcome_Throws()
    {
        var writer = LogRecords.Writer(_database);

        Assert.Throws<ArgumentOutOfRangeException>(() => writer.EnqueueFeedback(LogRecords.Feedback("r1", LogRecords.Start, double.NaN)));
    }

    [Fact]
    public async Task Stop_DatabaseRefusesWrites_CountsTheBatchAsDropped()
    {
        await using var empty = await MigratedInferenceLogFile.CreateAsync(migrate: false);
        var writer = LogRecords.Writer(empty);
        await writer.StartAsync(CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            writer.Enqueue(LogRecords.Record($"req-{i}"));
        }

        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(new InferenceLogStats(5, 0, 5, 0, 0), writer.Stats);
    }
}
