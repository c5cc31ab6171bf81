using System.Net.Http.Headers;
using System.Text.Json;
using ModelOps.Core.Demo;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Inference.Onnx;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// Serving benchmark 2 (alone: <c>serving-http</c>). The built app in a child process on
/// loopback Kestrel (see <see cref="WebAppProcess"/> for why not in-process), driven by
/// <see cref="HttpLoad"/>: POST /v2/models/ctr-ranker/infer with pre-encoded 32-wide rows
/// against GET /v2/health/live, the cheapest route of the same pipeline. Both endpoints are
/// measured in the same run, interleaved in rounds after a warm-up, so drift from other load on
/// the machine hits both; and the same infer load against a second child with the inference
/// log's journal off, for the journal's cost. Client and server share the machine's two cores.
/// </summary>
public static class HttpServingHarness
{
    private const string Name = "2 HTTP loopback";
    private const int Workers = 8;
    private const int Rounds = 4;
    internal const int Bodies = 1_024;

    /// <summary>
    /// <paramref name="seconds"/> measured per endpoint, split into <see cref="Rounds"/> interleaved
    /// rounds. A second child with the inference log's journal off serves the same infer load in
    /// the same rounds, so the journal's cost is a ratio measured under the same machine load.
    /// </summary>
    public static async Task RunAsync(ServingFigures figures, double seconds = 10)
    {
        await using var app = await WebAppProcess.StartAsync(TimeSpan.FromSeconds(180));
        await using var unjournaled = await WebAppProcess.StartAsync(
            TimeSpan.FromSeconds(180), new Dictionary<string, string?> { ["ModelOps:Inference:Log:Journal"] = "false" });
        var bodies = InferBodies();
        var json = new MediaTypeHeaderValue("application/json");
        var infer = new Uri($"/v2/models/{DemoModelFamily.ModelName}/infer", UriKind.Relative);
        var live = new Uri("/v2/health/live", UriKind.Relative);
        HttpRequestMessage Infer(int i) => new(HttpMethod.Post, infer) { Content = new ByteArrayContent(bodies[i & (Bodies - 1)]) { Headers = { ContentType = json } } };
        HttpRequestMessage Live(int i) => new(HttpMethod.Get, live);

        using var load = new HttpLoad(app.BaseAddress, Workers);
        using var loadUnjournaled = new HttpLoad(unjournaled.BaseAddress, Workers);
        await CheckInferAsync(load.Client, Infer(0));
        await CheckInferAsync(loadUnjournaled.Client, Infer(0));
        Console.WriteLine($"[{Name}] ModelOps.Web pid {app.ProcessId} on {app.BaseAddress}, journal off: pid {unjournaled.ProcessId} (server GC per its runtimeconfig); " +
            $"{Workers} closed-loop workers, one keep-alive HTTP/1.1 connection each; {seconds:F0} s per endpoint in {Rounds} interleaved rounds after warm-up");

        await load.RunAsync(TimeSpan.FromSeconds(2), Infer);
        await loadUnjournaled.RunAsync(TimeSpan.FromSeconds(2), Infer);
        await load.RunAsync(TimeSpan.FromSeconds(1), Live);
        var inferRuns = new List<LoadRun>();
        var unjournaledRuns = new List<LoadRun>();
        var liveRuns = new List<LoadRun>();
        for (var round = 0; round < Rounds; round++)
        {
            liveRuns.Add(await load.RunAsync(TimeSpan.FromSeconds(seconds / Rounds), Live));
            inferRuns.Add(await load.RunAsync(TimeSpan.FromSeconds(seconds / Rounds), Infer));
            unjournaledRuns.Add(await loadUnjournaled.RunAsync(TimeSpan.FromSeconds(seconds / Rounds), Infer));
        }

        var inferRun = LoadRun.Merge(inferRuns);
        var unjournaledRun = LoadRun.Merge(unjournaledRuns);
        var liveRun = LoadRun.Merge(liveRuns);
        var (inferLatency, unjournaledLatency, liveLatency) = (inferRun.Latency(), unjournaledRun.Latency(), liveRun.Latency());
        Console.WriteLine($"  POST infer:  {inferRun.RequestsPerSecond:N0} req/s, {inferLatency}; {inferRun.Requests:N0} requests, {inferRun.Errors} errors{Describe(inferRun.FirstError)}");
        Console.WriteLine($"  ... journal off: {unjournaledRun.RequestsPerSecond:N0} req/s, {unjournaledLatency}; {unjournaledRun.Requests:N0} requests, {unjournaledRun.Errors} errors{Describe(unjournaledRun.FirstError)}");
        Console.WriteLine($"  GET live:    {liveRun.RequestsPerSecond:N0} req/s, {liveLatency}; {liveRun.Requests:N0} requests, {liveRun.Errors} errors{Describe(liveRun.FirstError)}");
        Console.WriteLine($"  infer/live:  {inferRun.RequestsPerSecond / liveRun.RequestsPerSecond:F2} of the throughput, p99 {inferLatency.P99Ms / liveLatency.P99Ms:F2}x");
        Console.WriteLine($"  journal on/off: {inferRun.RequestsPerSecond / unjournaledRun.RequestsPerSecond:F3} of the throughput, p99 {inferLatency.P99Ms / unjournaledLatency.P99Ms:F2}x");

        figures.Add(Name, $"POST infer ({Workers} workers)", inferRun.RequestsPerSecond, "req/s", "N0");
        figures.Add(Name, "POST infer p50", inferLatency.P50Ms, "ms", "F2");
        figures.Add(Name, "POST infer p99", inferLatency.P99Ms, "ms", "F2");
        figures.Add(Name, $"POST infer, journal off ({Workers} workers)", unjournaledRun.RequestsPerSecond, "req/s", "N0");
        figures.Add(Name, "POST infer, journal off p99", unjournaledLatency.P99Ms, "ms", "F2");
        figures.Add(Name, $"GET live ({Workers} workers)", liveRun.RequestsPerSecond, "req/s", "N0");
        figures.Add(Name, "GET live p50", liveLatency.P50Ms, "ms", "F2");
        figures.Add(Name, "GET live p99", liveLatency.P99Ms, "ms", "F2");
        figures.Add(Name, "ratio infer/live throughput", inferRun.RequestsPerSecond / liveRun.RequestsPerSecond, "", "F2");
        figures.Add(Name, "ratio infer/live p99", inferLatency.P99Ms / liveLatency.P99Ms, "x", "F2");
        figures.Add(Name, "ratio journal on/off throughput", inferRun.RequestsPerSecond / unjournaledRun.RequestsPerSecond, "", "F3");
        figures.Add(Name, "errors (infer + live)", inferRun.Errors + unjournaledRun.Errors + liveRun.Errors, "requests", "F0");
    }

    /// <summary>One request before load: the body must be accepted and answered by v2, or the figures would measure errors.</summary>
    private static async Task CheckInferAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request))
        {
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode || !body.Contains("\"outputs\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The infer request was not answered: {(int)response.StatusCode} {body}");
            }
        }
    }

    /// <summary>Open Inference Protocol bodies, one 32-wide FP32 row each, encoded from ClickWorld impressions as v2's encoder does.</summary>
    internal static byte[][] InferBodies()
    {
        var encoder = FeatureEncoder.Create(CtrEncoderSpecs.Version2());
        // The demo spec is fixed in code; an invalid one is a bug.
        var workload = ServingWorkload.Draw(encoder.IsSuccess ? encoder.Value : throw new InvalidOperationException(encoder.Error.Detail), Bodies);
        return [.. workload.Encoded.Select(row =>
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("inputs");
                writer.WriteStartObject();
                writer.WriteString("name", LinearModelOnnxWriter.InputName);
                writer.WriteStartArray("shape");
                writer.WriteNumberValue(1);
                writer.WriteNumberValue(row.Length);
                writer.WriteEndArray();
                writer.WriteString("datatype", "FP32");
                writer.WriteStartArray("data");
                foreach (var value in row)
                {
                    writer.WriteNumberValue(value);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            return buffer.ToArray();
        })];
    }

    private static string Describe(string? error) => error is null ? string.Empty : $" (first: {error})";
}
