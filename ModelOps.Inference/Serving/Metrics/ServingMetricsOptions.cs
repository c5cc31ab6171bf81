using System.ComponentModel.DataAnnotations;

namespace ModelOps.Inference.Serving.Metrics;

/// <summary>The <c>ModelOps:Metrics</c> section.</summary>
public sealed class ServingMetricsOptions
{
    public const string Section = "ModelOps:Metrics";

    /// <summary>How long one-second buckets are kept; guardrail windows must fit inside it.</summary>
    [Range(10, 86_400)]
    public int HorizonSeconds { get; set; } = 900;

    /// <summary>Raw latency samples kept per bucket (reservoir) for rank tests.</summary>
    [Range(1, 10_000)]
    public int LatencySamplesPerBucket { get; set; } = 64;
}
