using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Demo;
using ModelOps.Core.Registry;
using ModelOps.Inference.Onnx;
using ModelOps.Inference.Registry;
using ModelOps.Inference.Serving;
using ModelOps.Inference.Serving.Caching;
using ModelOps.Inference.Serving.Calibration;
using ModelOps.Inference.Serving.Chaos;
using ModelOps.Inference.Serving.Log;
using ModelOps.Inference.Serving.Metrics;

namespace ModelOps.Inference;

public static class InferenceServiceCollectionExtensions
{
    /// <summary>
    /// The whole inference plane: artifact inspection and ONNX writing, then the inference log
    /// first (hosted services stop in reverse order, so the log drains after everything that
    /// writes to it), the serving path, its metrics, chaos, cache and calibration. Each section's
    /// options are bound once, from configuration, by its own <c>Add…</c>.
    /// </summary>
    public static IServiceCollection AddModelOpsInference(this IServiceCollection services)
    {
        services.AddSingleton<IArtifactInspector, OnnxArtifactInspector>();
        services.AddSingleton<ILinearModelSerializer, LinearModelOnnxWriter>();
        services.AddInferenceLog();
        services.AddServing();
        services.AddServingMetrics();
        services.AddChaos();
        services.AddPredictionCache();
        services.AddCalibration();
        services.AddSingleton<Core.Incidents.Replay.IReplaySource, Incidents.Replay.LoggedPredictions>();
        services.AddSingleton<Core.Incidents.Replay.IOfflineScorer, Incidents.Replay.OfflineScorer>();
        services.AddSingleton<Core.Rollouts.Shadow.IShadowPairs, Rollouts.Shadow.MirroredPairs>();
        return services;
    }
}
