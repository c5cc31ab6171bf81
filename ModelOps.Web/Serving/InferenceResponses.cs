using System.Text.Json.Serialization;
using ModelOps.Core.Registry;

namespace ModelOps.Web.Serving;

/// <summary>Contract fields in camelCase, plus the Open Inference Protocol's snake_case names so KServe/Triton clients read it unchanged.</summary>
public sealed record InferResponse(
    string ModelName,
    string ModelVersion,
    string Id,
    IReadOnlyList<InferOutput> Outputs,
    string Arm)
{
    [JsonPropertyName("model_name")]
    public string ModelNameOip => ModelName;

    [JsonPropertyName("model_version")]
    public string ModelVersionOip => ModelVersion;
}

public sealed record InferOutput(string Name, long[] Shape, string Datatype, float[] Data);

public sealed record ModelMetadataResponse(
    string Name,
    IReadOnlyList<string> Versions,
    string Platform,
    IReadOnlyList<TensorSpec> Inputs,
    IReadOnlyList<TensorSpec> Outputs,
    long Generation);

public sealed record PredictResponse(string RequestId, int ModelVersion, string? EncoderVersion, double Score, string Model, string Arm);

public sealed record FeedbackRequest(string? RequestId, double? Outcome);

public sealed record FeedbackResponse(string RequestId, bool Counted);
