using BenchmarkDotNet.Attributes;
using ModelOps.Core.Common;
using ModelOps.Inference.Serving;
using ModelOps.Inference.Serving.Requests;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// BenchmarkDotNet view of serving benchmark 1 (<c>--filter '*ServingPath*'</c>): one predict
/// through the real in-process app against one bare ONNX run of the same v2 artifact. The app
/// (and its log writer) runs in the benchmark process, started in setup. The measured harness
/// (<c>serving-inprocess</c>) gives the same comparison faster, with 2 threads too.
/// </summary>
[MemoryDiagnoser]
public class ServingPathBenchmarks
{
    private ServingApp app = null!; // set in Setup before any benchmark runs
    private ModelServer server = null!;
    private ServingWorkload workload = null!;
    private RawOnnxSession raw = null!;
    private RawOnnxSession.Slot slot = null!;
    private int next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        app = await ServingApp.StartAsync();
        server = app.Get<ModelServer>();
        var servable = app.Get<SessionPool>().FindHealthy(ServingApp.Model, 2)!.Version; // StartAsync returns once v2 is warm
        workload = ServingWorkload.Draw(servable.Encoder!); // v2 is paired with ctr-features@2
        raw = new RawOnnxSession(servable.ArtifactPath, servable.Inputs[0].Name, servable.Outputs[0].Name, workload.Width, 1);
        slot = raw.CreateSlot();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        slot.Dispose();
        raw.Dispose();
        await app.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public float RawRun() => slot.Run(workload.Encoded[next++ & workload.Mask]);

    [Benchmark]
    public ValueTask<Result<Prediction>> PredictAsync() =>
        server.PredictAsync(new PredictRequest(ServingApp.Model, workload.Features[next++ & workload.Mask], null, null), CancellationToken.None);
}
