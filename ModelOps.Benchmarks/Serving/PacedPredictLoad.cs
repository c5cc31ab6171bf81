using System.Diagnostics;
using ModelOps.Inference.Serving;
using ModelOps.Inference.Serving.Requests;

namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// Predict load on the real in-process app: <see cref="Workers"/> dedicated threads through
/// <see cref="ModelServer.PredictAsync"/>, paced to a total rate, every call recorded under the
/// phase it started in (<see cref="PhaseResults"/>; a failed call is a failed answer).
/// <para>
/// Paced, not closed-loop: unpaced in-process callers reach ~150k req/s, which starves whatever
/// is measured of CPU on two cores and keeps the inference log writer (~40k rows/s) permanently
/// behind, so the figures would measure that overload. Each worker wakes every millisecond and
/// sends what its share of the rate makes due; a latency is one call's own time (send to answer).
/// </para>
/// </summary>
public sealed class PacedPredictLoad
{
    public const int Warmup = 0;
    public const int Measured = 1;
    public const int After = 2;
    public const int Stopped = 3;
    public const int Workers = 4;

    private readonly PhaseResults[] _results = [.. Enumerable.Range(0, Workers).Select(_ => new PhaseResults())];
    private readonly Task<bool>[] _loops;
    private int _phase = Warmup;

    private PacedPredictLoad(ModelServer server, ServingWorkload workload, int requestsPerSecond, string model)
    {
        RequestsPerSecond = requestsPerSecond;
        _loops = [.. _results.Select((result, w) => WorkerThreads.StartAsync(
            () => LoopAsync(server, workload, model, result, w, (double)requestsPerSecond / Workers)))];
    }

    public int RequestsPerSecond { get; }

    public int Phase => Volatile.Read(ref _phase);

    public static PacedPredictLoad Start(ModelServer server, ServingWorkload workload, int requestsPerSecond, string model = ServingApp.Model) =>
        new(server, workload, requestsPerSecond, model);

    public void Set(int phase) => Volatile.Write(ref _phase, phase);

    /// <summary>Stops every worker and waits for its last call.</summary>
    public async Task StopAsync()
    {
        Set(Stopped);
        await Task.WhenAll(_loops);
    }

    /// <summary>Read after <see cref="StopAsync"/>.</summary>
    public PhaseResults.Summary Summarise(int phase) => PhaseResults.Summarise(_results, phase);

    private async Task<bool> LoopAsync(ModelServer server, ServingWorkload workload, string model, PhaseResults result, int worker, double perSecond)
    {
        // At most 100 ms of backlog: after a stall the worker catches up, but not in one unbounded burst.
        var backlog = (long)(perSecond / 10);
        var started = Stopwatch.GetTimestamp();
        var sent = 0L;
        for (var i = worker * 1_009; Phase != Stopped;)
        {
            var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * perSecond);
            if (sent >= due)
            {
                Thread.Sleep(1);
                continue;
            }

            for (sent = Math.Max(sent, due - backlog); sent < due; sent++, i++)
            {
                var current = Phase;
                var at = Stopwatch.GetTimestamp();
                try
                {
                    var answer = await server.PredictAsync(new PredictRequest(model, workload.Features[i & workload.Mask], null, null), CancellationToken.None);
                    result.Record(current, Stopwatch.GetTimestamp() - at, answer.IsSuccess ? answer.Value.Version : -1, answer.IsSuccess ? null : answer.Error.Detail);
                }
                catch (Exception exception)
                {
                    // A throwing call is a failed request too; the run goes on so the count is complete.
                    result.Record(current, Stopwatch.GetTimestamp() - at, -1, exception.GetType().Name + ": " + exception.Message);
                }
            }
        }

        return true;
    }
}
