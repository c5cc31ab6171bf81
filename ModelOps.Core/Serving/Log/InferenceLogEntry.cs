namespace ModelOps.Core.Serving.Log;

/// <summary>
/// One served (or mirrored) request as persisted in the inference log. Append-only: rows are
/// only ever inserted, and deleted by the retention sweep once older than the retention window.
/// Personal features are already masked in <see cref="FeaturesJson"/>.
/// </summary>
public sealed class InferenceLogEntry
{
    public long Id { get; set; }

    public required string RequestId { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Model { get; set; }

    public int Version { get; set; }

    /// <summary>Encoder as <c>name@version</c>; null for a raw tensor request without an encoder.</summary>
    public string? Encoder { get; set; }

    /// <summary>baseline, candidate or shadow.</summary>
    public required string Arm { get; set; }

    public string? RoutingKey { get; set; }

    public string? Region { get; set; }

    /// <summary>Raw named features as JSON (personal ones masked), when the request carried them.</summary>
    public string? FeaturesJson { get; set; }

    /// <summary>The input tensor as a JSON array of numbers.</summary>
    public string? InputJson { get; set; }

    /// <summary>The outputs as JSON.</summary>
    public string? OutputsJson { get; set; }

    public double? Score { get; set; }

    public double LatencyMs { get; set; }

    /// <summary>ok, error or timeout.</summary>
    public required string Status { get; set; }

    public string? Error { get; set; }
}
