using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Demo;
using ModelOps.Core.Registry;
using ModelOps.Inference.Onnx;
using ModelOps.Inference.Registry;

namespace ModelOps.Inference;

public static class InferenceServiceCollectionExtensions
{
    public static IServiceCollection AddModelOpsInference(this IServiceCollection services)
    {
        services.AddSingleton<IArtifactInspector, OnnxArtifactInspector>();
        services.AddSingleton<ILinearModelSerializer, LinearModelOnnxWriter>();
        return services;
    }
}
