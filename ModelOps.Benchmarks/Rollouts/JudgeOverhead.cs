using System.Text.Json;
using ModelOps.Benchmarks.Serving;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// Section 4 of <c>-- rollback-restore</c>: what an active rollout being judged costs the serving
/// path. Closed-loop HTTP infer load on the running app, in rounds of two phases — no rollout, and
/// a 10 % canary (default guardrail template) judged every <c>ModelOps:Gates:IntervalSeconds</c> —
/// in ABBA order so drift on the machine hits both alike. A canary phase counts only if the judge
/// looked during it and the rollout was still progressing at its end; it is rolled back between
/// phases (a fresh candidate each round).
/// </summary>
public static class JudgeOverhead
{
    private const string Name = "4 judge overhead";

    public static async Task RunAsync(WebAppProcess app, RolloutApiClient api, RollbackRestoreOptions options, ServingFigures figures)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(figures);
        var candidates = await api.RegisterCandidatesAsync(options.OverheadRounds, "overhead");
        var phase = TimeSpan.FromSeconds(options.OverheadSeconds);
        Console.WriteLine($"[{Name}] {options.OverheadRounds} rounds x ({phase.TotalSeconds:F0} s without a rollout, {phase.TotalSeconds:F0} s with a 10 % canary judged every " +
            $"{options.GateIntervalSeconds} s), ABBA order; {options.HttpWorkers} closed-loop infer workers");
        using var load = new HttpLoad(app.BaseAddress, options.HttpWorkers);
        var infer = HttpRollbacks.Infer();
        await load.RunAsync(TimeSpan.FromSeconds(2), infer);
        var (without, with) = (new List<LoadRun>(), new List<LoadRun>());
        var unjudged = 0;
        for (var round = 0; round < options.OverheadRounds; round++)
        {
            foreach (var active in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                if (!active)
                {
                    without.Add(await load.RunAsync(phase, infer));
                    continue;
                }

                var id = await api.StartAsync(candidates[round], 10);
                // The first look comes at once (the job starts now); wait out one interval so the phase holds looks only.
                await Task.Delay(TimeSpan.FromSeconds(options.GateIntervalSeconds));
                var from = DateTimeOffset.UtcNow;
                var run = await load.RunAsync(phase, infer);
                var rollout = await api.GetAsync(id);
                if (rollout.GetProperty("state").GetString() == "progressing" && Looked(rollout, from))
                {
                    with.Add(run);
                }
                else
                {
                    unjudged++;
                    Console.WriteLine($"  round {round + 1}: the canary phase does not count (state {rollout.GetProperty("state").GetString()}, evaluatedAt {rollout.GetProperty("evaluatedAt")})");
                }

                await api.RollbackAsync(id, "end of the judge-overhead phase");
            }
        }

        var (a, b) = (LoadRun.Merge(without), LoadRun.Merge(with));
        var (la, lb) = (a.Latency(), b.Latency());
        Console.WriteLine($"  without a rollout: {a.RequestsPerSecond:N0} req/s, {la}; failed {a.Errors}");
        Console.WriteLine($"  canary judged:     {b.RequestsPerSecond:N0} req/s, {lb}; failed {b.Errors} ({with.Count} phases counted, {unjudged} not)");
        Console.WriteLine($"  with/without: throughput {b.RequestsPerSecond / a.RequestsPerSecond:F3}, p50 {lb.P50Ms / la.P50Ms:F2}x, p99 {lb.P99Ms / la.P99Ms:F2}x");

        figures.Add(Name, "infer without a rollout", a.RequestsPerSecond, "req/s", "N0");
        figures.Add(Name, "infer with a judged canary", b.RequestsPerSecond, "req/s", "N0");
        figures.Add(Name, "infer p99 without a rollout", la.P99Ms, "ms", "F2");
        figures.Add(Name, "infer p99 with a judged canary", lb.P99Ms, "ms", "F2");
        figures.Add(Name, "ratio throughput with/without", b.RequestsPerSecond / a.RequestsPerSecond, "", "F3");
        figures.Add(Name, "ratio p99 with/without", lb.P99Ms / la.P99Ms, "x", "F2");
        figures.Add(Name, "canary phases counted", with.Count, "phases", "F0");
        figures.Add(Name, "failed inference requests (must be 0)", a.Errors + b.Errors, "requests", "F0");
    }

    private static bool Looked(JsonElement rollout, DateTimeOffset from) =>
        rollout.GetProperty("evaluatedAt") is { ValueKind: JsonValueKind.String } at && at.GetDateTimeOffset() >= from.AddSeconds(-1);
}
