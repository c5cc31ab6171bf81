using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Serving.Log;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Log;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Log;

/// <summary>Builders shared by the inference log tests.</summary>
internal static class LogRecords
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static readonly FeatureEncoderSpec Spec = new("ctr-features", 3,
    [
        new FeatureSpec { Name = "age", Kind = FeatureKind.Numeric, Mean = 40, Std = 12 },
        new FeatureSpec { Name = "email", Kind = FeatureKind.Categorical, Vocabulary = ["x"], Personal = true },
        new FeatureSpec { Name = "country", Kind = FeatureKind.Categorical, Vocabulary = ["de", "fr"] },
    ]);

    public static InferenceRecord Record(
        string requestId,
        DateTimeOffset? at = null,
        string model = "ctr",
        int version = 1,
        Arm arm = Arm.Baseline,
        float[]? input = null) => new(
            requestId,
            at ?? Start,
            model,
            version,
            arm,
            RoutingKey: "user-7",
            Region: "eu",
            Features: new Dictionary<string, FeatureValue>
            {
                ["age"] = FeatureValue.FromNumber(31),
                ["email"] = FeatureValue.FromText("ada@example.com"),
                ["country"] = FeatureValue.FromText("de"),
            },
            Spec,
            input ?? [0.25f, -1.5f, 1f],
            Outputs: [0.7f],
            Score: 0.7,
            LatencyMs: 1.25,
            RequestStatus.Ok,
            Error: null);

    public static InferenceFeedback Feedback(string requestId, DateTimeOffset receivedAt, double outcome = 1) => new()
    {
        RequestId = requestId,
        Model = "ctr",
        Version = 1,
        Arm = "baseline",
        Outcome = outcome,
        ReceivedAt = receivedAt,
    };

    public static InferenceLogWriter Writer(
        MigratedInferenceLog log, int capacity = 100_000, int batchSize = 512, int flushIntervalMs = 20) =>
        Writer(log.Database, capacity, batchSize, flushIntervalMs);

    /// <summary>A writer over a SQLite file (an older layout's main database too).</summary>
    public static InferenceLogWriter Writer(
        string connectionString, int capacity = 100_000, int batchSize = 512, int flushIntervalMs = 20) =>
        Writer(new SqliteInferenceLogDatabase(connectionString), capacity, batchSize, flushIntervalMs);

    public static InferenceLogWriter Writer(
        InferenceLogDatabase database, int capacity = 100_000, int batchSize = 512, int flushIntervalMs = 20, InferenceLogJournal? journal = null) => new(
            database,
            Options.Create(new InferenceLogOptions { Capacity = capacity, BatchSize = batchSize, FlushIntervalMs = flushIntervalMs }),
            TimeProvider.System,
            NullLogger<InferenceLogWriter>.Instance,
            journal);

    /// <summary>Writes the records and feedback through a writer that is started and stopped.</summary>
    public static Task PersistAsync(MigratedInferenceLog log, IEnumerable<InferenceRecord> records, IEnumerable<InferenceFeedback>? feedback = null) =>
        PersistAsync(Writer(log), records, feedback);

    /// <summary>The same into a SQLite file holding the two tables (an older layout's main database too).</summary>
    public static Task PersistAsync(string connectionString, IEnumerable<InferenceRecord> records, IEnumerable<InferenceFeedback>? feedback = null) =>
        PersistAsync(Writer(connectionString), records, feedback);

    private static async Task PersistAsync(InferenceLogWriter writer, IEnumerable<InferenceRecord> records, IEnumerable<InferenceFeedback>? feedback)
    {
        await writer.StartAsync(CancellationToken.None);
        foreach (var record in records)
        {
            writer.Enqueue(record);
        }

        foreach (var outcome in feedback ?? [])
        {
            writer.EnqueueFeedback(outcome);
        }

        await writer.StopAsync(CancellationToken.None);
    }
}
