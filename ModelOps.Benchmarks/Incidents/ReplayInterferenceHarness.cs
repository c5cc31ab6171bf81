using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Benchmarks.Serving;
using ModelOps.Core.Incidents.Replay;
using ModelOps.Core.Persistence;
using ModelOps.Inference.Serving;
using ModelOps.Inference.Serving.Log;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Benchmarks.Incidents;

/// <summary>
/// <c>-- replay-interference [--rows 100000] [--rps 5000] [--seconds 15] [--duty-percent 50]</c>: does an incident's
/// replay disturb serving? The real in-process app serves paced predict load
/// (<see cref="PacedPredictLoad"/>) on ctr-ranker v2; the inference log is seeded with
/// <c>rows</c> logged answers of v3; after <c>seconds</c> of load alone a replay of them through
/// v2 is queued and runs (Quartz job, offline session, the configured bounds) while the same load
/// goes on. Prints p50/p99 without and with the replay and their ratio, the replay's rows/s and
/// the load average (two shared cores: read the ratio against the load).
/// </summary>
public static class ReplayInterferenceHarness
{
    public const string Command = "replay-interference";

    public static async Task RunAsync(IReadOnlyList<string> args)
    {
        var (rows, rps, seconds) = (Option(args, "rows", 100_000), Option(args, "rps", 5_000), Option(args, "seconds", 15));
        var duty = Option(args, "duty-percent", (int)(new ReplayOptions().DutyCycle * 100)) / 100.0;
        Console.WriteLine($"replay-interference: .NET {Environment.Version}, {Environment.ProcessorCount} cores, load average {LoadAverage()}; replay duty cycle {duty:P0}");
        await using var app = await ServingApp.StartAsync(new Dictionary<string, string?>
        {
            [$"{ReplayOptions.Section}:DutyCycle"] = duty.ToString(CultureInfo.InvariantCulture),
            [$"{ReplayOptions.Section}:PollSeconds"] = "1",
        });
        var pool = app.Get<SessionPool>();
        var encoder = pool.FindHealthy(ServingApp.Model, 2)!.Version.Encoder!; // StartAsync returns once v2 is warm.
        var workload = ServingWorkload.Draw(encoder);
        var seeded = Stopwatch.StartNew();
        await ReplayLogSeed.WriteAsync(app.Get<InferenceLogDatabase>(), workload, encoder.Spec, rows, DateTimeOffset.UtcNow.AddMinutes(-1));
        Console.WriteLine($"  seeded {rows:N0} logged v3 answers in {seeded.Elapsed.TotalSeconds:F1} s; {PacedPredictLoad.Workers} workers paced to {rps:N0} req/s on v2");

        var load = PacedPredictLoad.Start(app.Get<ModelServer>(), workload, rps);
        await Task.Delay(TimeSpan.FromSeconds(2));
        load.Set(PacedPredictLoad.Measured);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var replayId = await QueueAsync(app);
        await WaitAsync(app, replayId, r => r.Status != ReplayStates.Queued);
        load.Set(PacedPredictLoad.After);
        var replay = await WaitAsync(app, replayId, r => !ReplayStates.IsPending(r.Status));
        await load.StopAsync();

        var (without, with) = (load.Summarise(PacedPredictLoad.Measured), load.Summarise(PacedPredictLoad.After));
        var replaySeconds = (replay.EndedAt - replay.StartedAt)?.TotalSeconds ?? double.NaN;
        Console.WriteLine($"  replay {replay.Status}: {replay.RowsDone:N0} of {replay.RowsTotal:N0} rows in {replaySeconds:F1} s ({replay.RowsDone / replaySeconds:N0} rows/s){(replay.Error is null ? string.Empty : $", {replay.Error}")}");
        Console.WriteLine($"  without replay: {without.Requests:N0} requests, failed {without.Failed}; {without.Latency}");
        Console.WriteLine($"  with replay:    {with.Requests:N0} requests, failed {with.Failed}; {with.Latency}");
        Console.WriteLine($"  p99 with / without replay: {with.Latency.P99Ms / without.Latency.P99Ms:F2}; p50 ratio {with.Latency.P50Ms / without.Latency.P50Ms:F2}");
        Console.WriteLine($"load average {LoadAverage()}");
    }

    private static async Task<string> QueueAsync(ServingApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        var now = DateTimeOffset.UtcNow;
        var run = new ReplayRun
        {
            Id = $"rp-harness-{Guid.NewGuid():N}",
            IncidentId = "inc-harness",
            Model = ServingApp.Model,
            CandidateVersion = 3,
            TargetVersion = 2,
            From = now.AddHours(-2),
            To = now,
            Status = ReplayStates.Queued,
            QueuedAt = now,
            QueuedBy = "harness",
        };
        db.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    private static async Task<ReplayRun> WaitAsync(ServingApp app, string id, Func<ReplayRun, bool> done)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var run = await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<ReplayRun>().AsNoTracking().SingleAsync(r => r.Id == id);
            if (done(run) || watch.Elapsed > TimeSpan.FromMinutes(15))
            {
                return run;
            }

            await Task.Delay(20);
        }
    }

    private static int Option(IReadOnlyList<string> args, string name, int fallback)
    {
        var at = args.ToList().IndexOf($"--{name}");
        return at >= 0 && at + 1 < args.Count ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
