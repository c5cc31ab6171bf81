using System.ComponentModel.DataAnnotations;

namespace ModelOps.Inference.Serving;

/// <summary>Section <c>ModelOps:Inference</c>.</summary>
public sealed class ServingOptions
{
    public const string Section = "ModelOps:Inference";

    /// <summary>When non-empty, every /v2 and /inference call (health probes excepted) needs one of these in <c>X-Api-Key</c>.</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Largest inference request body; larger ones get 413.</summary>
    [Range(1_024, 64 * 1024 * 1024)]
    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Most rows one infer call may carry.</summary>
    [Range(1, 65_536)]
    public int MaxBatch { get; set; } = 256;

    /// <summary>A request slower than this (injected latency included) is answered 503 and counted as a timeout.</summary>
    [Range(1, 600_000)]
    public int RequestTimeoutMs { get; set; } = 2_000;

    /// <summary>How many answered requests feedback can find without reading the log.</summary>
    [Range(1_000, 10_000_000)]
    public int RecentRequests { get; set; } = 200_000;

    /// <summary>Mirror copies waiting to run; more are dropped and counted.</summary>
    [Range(1, 1_000_000)]
    public int ShadowQueueCapacity { get; set; } = 1_024;
}
