using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Serving.Log;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Log;

namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// Measured harness for the inference log (run: <c>dotnet run -c Release --project
/// ModelOps.Benchmarks -- inference-log</c>). Feeds realistic records (6 raw features, one of
/// them personal, a 52-float encoded input) from 4 producer threads into the writer over a
/// migrated temp SQLite database, built through <c>AddInferenceLog()</c> as the app builds it.
/// Prints enqueue cost, sustained persisted rows/s and proof that every request is in the log;
/// then overloads a default-capacity writer to show the drop accounting. Serving benchmark 4:
/// <c>serving</c> runs it and puts its figures in the table.
/// </summary>
public static class InferenceLogHarness
{
    private const int Producers = 4;

    private static readonly FeatureEncoderSpec Spec = new("ctr-features", 2,
    [
        new FeatureSpec { Name = "age", Kind = FeatureKind.Numeric, Mean = 38, Std = 11 },
        new FeatureSpec { Name = "hour", Kind = FeatureKind.Numeric, Buckets = [.. Enumerable.Range(1, 23).Select(h => (double)h)] },
        new FeatureSpec { Name = "country", Kind = FeatureKind.Categorical, Vocabulary = ["de", "fr", "es", "it", "nl", "pl", "se", "at", "be", "pt"] },
        new FeatureSpec { Name = "device", Kind = FeatureKind.Categorical, Vocabulary = ["ios", "android", "web", "tv"] },
        new FeatureSpec { Name = "segment", Kind = FeatureKind.Categorical, Vocabulary = [.. Enumerable.Range(0, 13).Select(s => $"s{s}")] },
        new FeatureSpec { Name = "email", Kind = FeatureKind.Ignored, Personal = true },
    ]);

    private const string Name = "4 inference log";

    public static async Task RunAsync(int records = 200_000, ServingFigures? figures = null)
    {
        figures ??= new ServingFigures();
        var directory = Path.Combine(Path.GetTempPath(), "modelops-harness", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var workload = Workload(records);
            Console.WriteLine($"[{Name}] {records} records, {Producers} producers, input width {workload[0].Input!.Length}, " +
                $"{workload[0].Features!.Count} features (1 personal); .NET {Environment.Version}, {Environment.ProcessorCount} cores");
            await MeasureJournalCostAsync(directory, workload, figures);
            await MeasureSustainedAsync(directory, workload, figures);
            await MeasureOverloadAsync(directory, workload, figures);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task MeasureSustainedAsync(string directory, InferenceRecord[] workload, ServingFigures figures)
    {
        // Capacity above the run's size: this phase measures throughput, so nothing may drop.
        await using var provider = await BuildAsync(Path.Combine(directory, "sustained"), capacity: workload.Length + 1);
        var writer = provider.GetRequiredService<InferenceLogWriter>();
        await writer.StartAsync(CancellationToken.None);

        var samples = new List<Sample>();
        var watch = Stopwatch.StartNew();
        using var sampling = new CancellationTokenSource();
        var sampler = SampleAsync(writer, watch, samples, sampling.Token);
        var enqueueSeconds = await EnqueueAsync(writer, workload);
        while (writer.Stats.Persisted < workload.Length && writer.Stats.Dropped == 0)
        {
            await Task.Delay(1);
        }

        var drainedAt = watch.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        var stopWatch = Stopwatch.StartNew();
        await writer.StopAsync(CancellationToken.None);
        stopWatch.Stop();

        var stats = writer.Stats;
        Console.WriteLine($"  enqueue: {workload.Length} in {enqueueSeconds * 1000:F0} ms wall ({enqueueSeconds * 1e9 / workload.Length:F0} ns per record across " +
            $"{Producers} threads); peak queue depth {samples.Max(s => s.Depth)}");
        Console.WriteLine($"  persisted: {stats.Persisted} in {drainedAt:F2} s from first enqueue = {stats.Persisted / drainedAt:F0} rows/s overall; " +
            $"steady state (10%->90% persisted) {SteadyRate(samples, workload.Length):F0} rows/s; stop took {stopWatch.Elapsed.TotalMilliseconds:F0} ms");
        var complete = await ProveCompleteAsync(provider, stats, workload.Length);
        figures.Add(Name, $"enqueue cost ({Producers} producer threads)", enqueueSeconds * 1e9 / workload.Length, "ns/record", "F0");
        figures.Add(Name, "persisted, overall", stats.Persisted / drainedAt, "rows/s", "N0");
        figures.Add(Name, "persisted, steady state", SteadyRate(samples, workload.Length), "rows/s", "N0");
        figures.AddText(Name, $"all {workload.Length:N0} requests logged, none unmasked", complete ? "yes" : "NO");
    }

    /// <summary>
    /// The request path's share of the journal: enqueue into a writer whose consumer is not
    /// running (nothing else competes for the cores), journal off and on, alternated over rounds.
    /// </summary>
    private static async Task MeasureJournalCostAsync(string directory, InferenceRecord[] workload, ServingFigures figures)
    {
        const int Rounds = 3;
        var part = workload[..Math.Min(workload.Length, 50_000)];
        var (off, on) = (0d, 0d);
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var journal in new[] { false, true })
            {
                await using var provider = await BuildAsync(Path.Combine(directory, $"journal-{journal}-{round}"), capacity: part.Length + 1, journal);
                var seconds = await EnqueueAsync(provider.GetRequiredService<InferenceLogWriter>(), part);
                (off, on) = journal ? (off, on + seconds) : (off + seconds, on);
            }
        }

        var (offNs, onNs) = (off * 1e9 / (part.Length * Rounds), on * 1e9 / (part.Length * Rounds));
        Console.WriteLine($"  journal cost on the request path: enqueue {onNs:F0} ns/record with the journal vs {offNs:F0} without " +
            $"({part.Length} records x {Rounds} rounds, {Producers} threads, consumer not running)");
        figures.Add(Name, "enqueue, journal on (consumer idle)", onNs, "ns/record", "F0");
        figures.Add(Name, "enqueue, journal off (consumer idle)", offNs, "ns/record", "F0");
    }

    private static async Task MeasureOverloadAsync(string directory, InferenceRecord[] workload, ServingFigures figures)
    {
        await using var provider = await BuildAsync(Path.Combine(directory, "overload"), capacity: 100_000);
        var writer = provider.GetRequiredService<InferenceLogWriter>();
        await writer.StartAsync(CancellationToken.None);
        await EnqueueAsync(writer, workload);
        await writer.StopAsync(CancellationToken.None);

        var stats = writer.Stats;
        await using var scope = provider.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<InferenceLogDbContext>().Set<InferenceLogEntry>().LongCountAsync();
        Console.WriteLine($"  overload (default capacity 100000, unthrottled producers): enqueued {stats.Enqueued}, persisted {stats.Persisted}, " +
            $"dropped {stats.Dropped}, rows {rows}; enqueued = persisted + dropped: {stats.Enqueued == stats.Persisted + stats.Dropped}; " +
            $"rows = persisted: {rows == stats.Persisted}");
        figures.Add(Name, "overload: dropped (capacity 100000)", stats.Dropped, "records", "N0");
        figures.AddText(Name, "overload: enqueued = persisted + dropped", stats.Enqueued == stats.Persisted + stats.Dropped && rows == stats.Persisted ? "yes" : "NO");
    }

    private static async Task<bool> ProveCompleteAsync(ServiceProvider provider, InferenceLogStats stats, int expected)
    {
        await using var scope = provider.CreateAsyncScope();
        var log = scope.ServiceProvider.GetRequiredService<InferenceLogDbContext>().Set<InferenceLogEntry>();
        var rows = await log.LongCountAsync();
        var distinct = await log.Select(e => e.RequestId).Distinct().LongCountAsync();
        var leaked = await log.LongCountAsync(e => e.FeaturesJson!.Contains("@example.com"));
        Console.WriteLine($"  proof: enqueued {stats.Enqueued}, persisted {stats.Persisted}, dropped {stats.Dropped}; rows {rows}, " +
            $"distinct request ids {distinct}; every request logged: {rows == expected && distinct == expected}; rows with an unmasked email: {leaked}");
        return rows == expected && distinct == expected && leaked == 0;
    }

    private static async Task<double> EnqueueAsync(InferenceLogWriter writer, InferenceRecord[] workload)
    {
        var slice = workload.Length / Producers;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Producers).Select(p => Task.Run(() =>
        {
            var end = p == Producers - 1 ? workload.Length : (p + 1) * slice;
            for (var i = p * slice; i < end; i++)
            {
                writer.Enqueue(workload[i]);
            }
        })));
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task SampleAsync(InferenceLogWriter writer, Stopwatch watch, List<Sample> samples, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var stats = writer.Stats;
            samples.Add(new Sample(watch.Elapsed.TotalSeconds, stats.Persisted, stats.QueueDepth));
            await Task.Delay(10, CancellationToken.None);
        }
    }

    private static double SteadyRate(List<Sample> samples, int total)
    {
        var from = samples.First(s => s.Persisted >= total / 10);
        var to = samples.LastOrDefault(s => s.Persisted <= total * 9 / 10 && s.Seconds > from.Seconds) ?? samples[^1];
        return (to.Persisted - from.Persisted) / (to.Seconds - from.Seconds);
    }

    private static async Task<ServiceProvider> BuildAsync(string directory, int capacity, bool journal = true)
    {
        Directory.CreateDirectory(directory);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ModelOps:Inference:Log:Capacity"] = capacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ModelOps:Inference:Log:Journal"] = journal ? "true" : "false",
            })
            .Build());
        services.AddLogging();
        services.Configure<ModelOpsOptions>(o => o.DataDirectory = directory);
        services.Configure<DatabaseOptions>(_ => { });
        services.AddModelOpsCore().AddInferenceLog();
        var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        await DatabaseUpgrade.RunAsync(
            scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>(), scope.ServiceProvider.GetRequiredService<InferenceLogDbContext>(), CancellationToken.None);
        return provider;
    }

    internal static InferenceRecord[] Workload(int count)
    {
        var encoder = FeatureEncoder.Create(Spec).Value!; // The spec above is valid by construction.
        var random = new Random(42);
        var start = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var records = new InferenceRecord[count];
        for (var i = 0; i < count; i++)
        {
            var features = new Dictionary<string, FeatureValue>
            {
                ["age"] = FeatureValue.FromNumber(random.Next(18, 80)),
                ["hour"] = FeatureValue.FromNumber(random.Next(0, 24)),
                ["country"] = FeatureValue.FromText(Spec.Features[2].Vocabulary![random.Next(10)]),
                ["device"] = FeatureValue.FromText(Spec.Features[3].Vocabulary![random.Next(4)]),
                ["segment"] = FeatureValue.FromText($"s{random.Next(13)}"),
                ["email"] = FeatureValue.FromText($"user{random.Next(1_000_000)}@example.com"),
            };
            var input = encoder.Encode(features).Value!; // Every feature is present and valid.
            var score = (float)random.NextDouble();
            var roll = random.Next(100);
            var arm = roll < 80 ? Arm.Baseline : roll < 95 ? Arm.Candidate : Arm.Shadow;
            var status = roll == 99 ? RequestStatus.Timeout : RequestStatus.Ok;
            records[i] = new InferenceRecord($"req-{i:D8}", start.AddMilliseconds(i), "ctr-ranker", arm == Arm.Baseline ? 3 : 4, arm,
                $"user-{random.Next(50_000)}", "eu-west", features, Spec, input, [score], score, 0.2 + random.NextDouble(), status,
                status == RequestStatus.Ok ? null : "deadline exceeded");
        }

        return records;
    }

    private sealed record Sample(double Seconds, long Persisted, int Depth);
}
