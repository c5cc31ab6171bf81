using System.Net.Http.Headers;
using System.Text.Json;
using ModelOps.Benchmarks.Serving;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// Section 3 of <c>-- rollback-restore</c>: the running app (a child process on loopback, see
/// <see cref="WebAppProcess"/>) under HTTP inference load (<c>POST /v2/models/ctr-ranker/infer</c>),
/// while an operator's client starts a 10 % canary with <c>POST /api/rollouts</c> (preflight and
/// all), lets it take traffic for the hold, and rolls it back with
/// <c>POST /api/rollouts/{id}/rollback</c>, N times, each time with a freshly registered
/// candidate (a rollback freezes its candidate). Reported: <c>decisionToRestoreMs</c> as the
/// rollback's answer carries it, the rollback call's HTTP latency, and failed inference requests.
/// </summary>
public static class HttpRollbacks
{
    private const string Name = "3 HTTP rollbacks";

    public static async Task RunAsync(WebAppProcess app, RolloutApiClient api, RollbackRestoreOptions options, ServingFigures figures)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(figures);
        var candidates = await api.RegisterCandidatesAsync(options.HttpRollbacks, "http");
        var paced = options.HttpRequestsPerSecond > 0 ? options.HttpRequestsPerSecond : (double?)null;
        Console.WriteLine($"[{Name}] {candidates.Count} cycles over HTTP (start a 10 % canary, hold {options.HoldMs} ms, POST rollback) under " +
            $"{options.HttpWorkers} infer workers {(paced is { } rate ? $"paced to {rate:N0} req/s" : "closed-loop")}; judge every {options.GateIntervalSeconds} s");

        using var load = new HttpLoad(app.BaseAddress, options.HttpWorkers);
        var infer = Infer();
        using var stop = new CancellationTokenSource();
        var running = load.RunUntilAsync(stop.Token, infer, paced);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var (engine, calls, notRestored) = (new List<double>(), new List<double>(), 0);
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            foreach (var candidate in candidates)
            {
                var id = await api.StartAsync(candidate, 10);
                await Task.Delay(options.HoldMs);
                var (callMs, rollout) = await api.RollbackAsync(id, "automatic: harness breach over HTTP");
                calls.Add(callMs);
                if (rollout.GetProperty("decisionToRestoreMs") is { ValueKind: JsonValueKind.Number } ms)
                {
                    engine.Add(ms.GetDouble());
                }

                notRestored += rollout.GetProperty("state").GetString() == "rolledBack" && !Routes(rollout, candidate) ? 0 : 1;
            }
        }
        finally
        {
            await stop.CancelAsync();
        }

        var elapsed = started.Elapsed;
        var run = await running;
        var (engineSummary, callSummary) = (Cycles.Summary(engine), Cycles.Summary(calls));
        Console.WriteLine($"  {calls.Count} rolled back in {elapsed.TotalSeconds:F1} s; {notRestored} answers not showing all traffic on v2");
        Console.WriteLine($"  decision->restore (decisionToRestoreMs, {engine.Count} reported): {engineSummary}");
        Console.WriteLine($"  POST rollback HTTP latency: {callSummary}");
        Console.WriteLine($"  infer load: {run.Requests:N0} requests ({run.RequestsPerSecond:N0}/s), failed {run.Errors}{(run.FirstError is { } e ? $" (first: {e})" : "")}; {run.Latency()}");

        figures.Add(Name, "rollbacks over HTTP", calls.Count, "rollbacks", "F0");
        figures.Add(Name, "decision->restore p50 (decisionToRestoreMs)", engineSummary.P50Ms, "ms", "F1");
        figures.Add(Name, "decision->restore p99 (decisionToRestoreMs)", engineSummary.P99Ms, "ms", "F1");
        figures.Add(Name, "decision->restore max (decisionToRestoreMs)", engineSummary.MaxMs, "ms", "F1");
        figures.Add(Name, "POST rollback latency p50", callSummary.P50Ms, "ms", "F1");
        figures.Add(Name, "POST rollback latency p99", callSummary.P99Ms, "ms", "F1");
        figures.Add(Name, "answers not restored (must be 0)", notRestored, "rollbacks", "F0");
        figures.Add(Name, "infer load during rollbacks", run.RequestsPerSecond, "req/s", "N0");
        figures.Add(Name, "failed inference requests (must be 0)", run.Errors, "requests", "F0");
    }

    /// <summary>POST /v2/models/ctr-ranker/infer with one pre-encoded row (the serving-http bodies).</summary>
    public static Func<int, HttpRequestMessage> Infer()
    {
        var bodies = HttpServingHarness.InferBodies();
        var json = new MediaTypeHeaderValue("application/json");
        var uri = new Uri($"/v2/models/{RolloutApiClient.Model}/infer", UriKind.Relative);
        return i => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(bodies[i & (HttpServingHarness.Bodies - 1)]) { Headers = { ContentType = json } } };
    }

    /// <summary>Whether the rollout's live weights (as answered) still give the candidate any traffic.</summary>
    private static bool Routes(JsonElement rollout, int candidate) =>
        rollout.GetProperty("weights").TryGetProperty($"{candidate}", out var weight) && weight.GetDouble() > 0;
}
