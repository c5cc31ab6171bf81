using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core;
using ModelOps.Core.Audit;
using ModelOps.Core.Demo;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Inference;
using ModelOps.Inference.Onnx;
using ModelOps.Web.Registry;

namespace ModelOps.Benchmarks.Audit;

/// <summary>
/// Measured harness for the foundation's figures (run: <c>dotnet run -c Release --project
/// ModelOps.Benchmarks -- foundation</c>): audit appends per second through the real
/// transaction path, verification time of a 100,000-row chain, and memory while registering
/// a ~100 MB artifact. Prints figures; asserts nothing.
/// </summary>
public static class FoundationHarness
{
    public static async Task RunAsync(int appends = 2_000, int chainRows = 100_000, int artifactMegabytes = 100)
    {
        var directory = Path.Combine(Path.GetTempPath(), "modelops-harness", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await using var provider = Build(directory);
            await using (var scope = provider.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
                await db.Database.MigrateAsync();
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }

            await MeasureAppendsAsync(provider, appends);
            await MeasureVerifyAsync(provider, chainRows);
            await MeasureRegistrationAsync(provider, directory, artifactMegabytes);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static ServiceProvider Build(string directory)
    {
        var services = new ServiceCollection();
        services.Configure<ModelOpsOptions>(o => o.DataDirectory = directory);
        services.Configure<DatabaseOptions>(_ => { });
        services.Configure<RegistryOptions>(o => o.MaxArtifactBytes = 512L * 1024 * 1024);
        services.AddModelOpsCore().AddModelOpsRegistry().AddModelOpsInference();

        // As the app does by default: ONNX Runtime's validation load runs in a child process.
        services.AddLogging();
        services.AddSingleton<IArtifactInspector, IsolatedArtifactInspector>();
        return services.BuildServiceProvider();
    }

    private static async Task MeasureAppendsAsync(ServiceProvider provider, int count)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await using var scope = provider.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AuditTrail>()
                .AppendAsync(new AuditRecord("harness", "harness.append", $"item:{i}", new { i }), CancellationToken.None);
        }

        watch.Stop();
        Console.WriteLine($"audit appends (one transaction each, sequential): {count} in {watch.Elapsed.TotalSeconds:F2} s = {count / watch.Elapsed.TotalSeconds:F0} rows/s");

        watch.Restart();
        var tasks = Enumerable.Range(0, 8).Select(async w =>
        {
            for (var i = 0; i < count / 8; i++)
            {
                await using var scope = provider.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AuditTrail>()
                    .AppendAsync(new AuditRecord($"writer{w}", "harness.append", $"item:{i}"), CancellationToken.None);
            }
        });
        await Task.WhenAll(tasks);
        watch.Stop();
        Console.WriteLine($"audit appends (8 concurrent writers): {count} in {watch.Elapsed.TotalSeconds:F2} s = {count / watch.Elapsed.TotalSeconds:F0} rows/s");
    }

    private static async Task MeasureVerifyAsync(ServiceProvider provider, int rows)
    {
        await using (var scope = provider.CreateAsyncScope())
        {
            // Extend the chain quickly with correctly hashed rows in large transactions; the
            // per-append cost was measured above, this measures verification only.
            var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
            var head = await db.Set<AuditEntry>().OrderByDescending(e => e.Seq).FirstAsync();
            var (seq, prev) = (head.Seq, head.Hash);
            var at = head.At;
            while (seq < rows)
            {
                await using var tx = await db.Database.BeginTransactionAsync();
                for (var i = 0; i < 5_000 && seq < rows; i++)
                {
                    seq++;
                    var entry = new AuditEntry { Seq = seq, At = at, Actor = "harness", Action = "harness.bulk", Target = $"item:{seq}", Details = "{}", PrevHash = prev, Hash = string.Empty };
                    entry.Hash = AuditHasher.Compute(entry);
                    prev = entry.Hash;
                    db.Add(entry);
                }

                await db.SaveChangesAsync();
                await tx.CommitAsync();
                db.ChangeTracker.Clear();
            }
        }

        await using var verifyScope = provider.CreateAsyncScope();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var result = await verifyScope.ServiceProvider.GetRequiredService<AuditLog>().VerifyAsync(CancellationToken.None);
        watch.Stop();
        Console.WriteLine($"verify chain of {result.Count} rows: valid={result.Valid} in {watch.Elapsed.TotalMilliseconds:F0} ms ({result.Count / watch.Elapsed.TotalSeconds:F0} rows/s), allocated {(GC.GetTotalAllocatedBytes(precise: true) - before) / 1e6:F0} MB total (streamed, not retained)");
    }

    private static async Task MeasureRegistrationAsync(ServiceProvider provider, string directory, int megabytes)
    {
        var width = megabytes * 1024 * 1024 / 4;
        var path = Path.Combine(directory, "big.onnx");
        var weights = new float[width];
        Array.Fill(weights, 0.001f);
        await File.WriteAllBytesAsync(path, new LinearModelOnnxWriter().Serialize(new LinearModel(weights, 0f)));
        weights = null;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var size = new FileInfo(path).Length;

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var rssBefore = process.WorkingSet64;
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var peakManaged = managedBefore;
        var peakRss = rssBefore;
        using var sampler = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            while (!sampler.IsCancellationRequested)
            {
                peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
                process.Refresh();
                peakRss = Math.Max(peakRss, process.WorkingSet64);
                await Task.Delay(5);
            }
        });

        var watch = Stopwatch.StartNew();
        await using (var scope = provider.CreateAsyncScope())
        await using (var stream = File.OpenRead(path))
        {
            var result = await scope.ServiceProvider.GetRequiredService<ModelRegistry>()
                .RegisterVersionAsync("big", stream, new VersionRegistration(), "harness", CancellationToken.None);
            Console.WriteLine($"register {size / 1e6:F0} MB artifact: ok={result.IsSuccess} in {watch.Elapsed.TotalSeconds:F2} s");
        }

        await sampler.CancelAsync();
        await sampling;
        process.Refresh();
        Console.WriteLine($"  managed heap: before {managedBefore / 1e6:F1} MB, peak {peakManaged / 1e6:F1} MB (+{(peakManaged - managedBefore) / 1e6:F1} MB)");
        Console.WriteLine($"  process RSS during registration: before {rssBefore / 1e6:F0} MB, peak {peakRss / 1e6:F0} MB (+{(peakRss - rssBefore) / 1e6:F0} MB, sampled every 5 ms; the validation load runs in a child process, as in the app)");
    }
}
