using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Serving.Log;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Log;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Log;

public sealed class InferenceLogWriterTests
{
    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Stop_RecordsFromConcurrentThreads_PersistsEveryOne(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        var writer = LogRecords.Writer(log);
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

        await using var db = log.NewContext();
        Assert.Equal(20_000, await db.Set<InferenceLogEntry>().CountAsync());
        Assert.Equal(20_000, await db.Set<InferenceLogEntry>().Select(e => e.RequestId).Distinct().CountAsync());
        Assert.Equal(new InferenceLogStats(20_000, 20_000, 0, 0, 0), writer.Stats);
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Enqueue_QueueFullWhileConsumerBlocked_DropsNewestAndCountsThem(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        // Not started: the consumer is blocked for the whole burst, so exactly capacity items fit.
        var writer = LogRecords.Writer(log, capacity: 10);

        for (var i = 0; i < 100; i++)
        {
            writer.Enqueue(LogRecords.Record($"req-{i}"));
        }

        var during = writer.Stats;
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal((100, 90, 10), (during.Enqueued, during.Dropped, during.QueueDepth));
        var after = writer.Stats;
        Assert.Equal(after.Enqueued, after.Persisted + after.Dropped);
        await using var db = log.NewContext();
        var stored = await db.Set<InferenceLogEntry>().OrderBy(e => e.Id).Select(e => e.RequestId).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"req-{i}"), stored);
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Enqueue_AfterStop_IsDroppedAndCounted(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        var writer = LogRecords.Writer(log);
        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        writer.Enqueue(LogRecords.Record("late"));

        Assert.Equal(new InferenceLogStats(1, 0, 1, 0, 0), writer.Stats);
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Enqueue_WhileRunning_PartialBatchIsWrittenAfterFlushInterval(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        var writer = LogRecords.Writer(log, batchSize: 512, flushIntervalMs: 20);
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

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Stop_Record_StoresColumnsReadableThroughEf(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        var at = LogRecords.Start.AddMilliseconds(1234);
        var record = LogRecords.Record("r1", at, arm: Arm.Shadow) with { Status = RequestStatus.Timeout, Error = "deadline", Score = null };

        await LogRecords.PersistAsync(log, [record]);

        await using var db = log.NewContext();
        var entry = await db.Set<InferenceLogEntry>().SingleAsync();
        Assert.Equal(("r1", at, "shadow", "timeout", "deadline"), (entry.RequestId, entry.At, entry.Arm, entry.Status, entry.Error));
        Assert.Equal(("ctr-features@3", "user-7", "eu"), (entry.Encoder, entry.RoutingKey, entry.Region));
        Assert.Equal(("[0.25,-1.5,1]", "[0.7]", (double?)null, 1.25), (entry.InputJson, entry.OutputsJson, entry.Score, entry.LatencyMs));
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Stop_RecordWithPersonalFeature_StoresItMasked(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        await LogRecords.PersistAsync(log, [LogRecords.Record("r1")]);

        await using var db = log.NewContext();
        var features = await db.Set<InferenceLogEntry>().Select(e => e.FeaturesJson).SingleAsync();
        Assert.Equal("""{"age":31,"email":"***","country":"de"}""", features);
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Stop_RecordWithoutEncoder_StoresNullEncoderAndFeatures(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        var record = LogRecords.Record("r1") with { EncoderSpec = null, Features = null };

        await LogRecords.PersistAsync(log, [record]);

        await using var db = log.NewContext();
        var entry = await db.Set<InferenceLogEntry>().SingleAsync();
        Assert.Equal((null, null), (entry.Encoder, entry.FeaturesJson));
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Stop_Feedback_StoredInSameBatchingAndCounted(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        var writer = LogRecords.Writer(log);
        await writer.StartAsync(CancellationToken.None);
        writer.Enqueue(LogRecords.Record("r1"));
        writer.EnqueueFeedback(LogRecords.Feedback("r1", LogRecords.Start.AddSeconds(5), outcome: 1));

        await writer.StopAsync(CancellationToken.None);

        await using var db = log.NewContext();
        var feedback = await db.Set<InferenceFeedback>().SingleAsync();
        Assert.Equal(("r1", "ctr", 1, "baseline", 1.0, LogRecords.Start.AddSeconds(5)),
            (feedback.RequestId, feedback.Model, feedback.Version, feedback.Arm, feedback.Outcome, feedback.ReceivedAt));
        Assert.Equal(new InferenceLogStats(2, 1, 0, 0, 1), writer.Stats);
    }

    [Fact]
    public void EnqueueFeedback_NonFiniteOutcome_Throws()
    {
        // Refused before it is queued: the database is never reached.
        var writer = LogRecords.Writer(new SqliteInferenceLogDatabase("Data Source=:memory:"));

        Assert.Throws<ArgumentOutOfRangeException>(() => writer.EnqueueFeedback(LogRecords.Feedback("r1", LogRecords.Start, double.NaN)));
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Stop_DatabaseRefusesWrites_CountsTheBatchAsDropped(string provider)
    {
        await using var empty = await MigratedInferenceLog.CreateAsync(provider, migrate: false);
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
