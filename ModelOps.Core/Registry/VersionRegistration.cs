namespace ModelOps.Core.Registry;

/// <summary>
/// Lineage sent with an artifact. <see cref="EncoderVersion"/> is <c>name@version</c>; <see cref="MetricsJson"/> a JSON object of numbers;
/// <see cref="DecisionThreshold"/> the score at or above which an answer is a positive decision (text, parsed by the registry).
/// </summary>
public sealed record VersionRegistration(
    string? TrainingRunId = null,
    string? DatasetHash = null,
    string? EncoderVersion = null,
    string? Description = null,
    string? MetricsJson = null,
    string? DecisionThreshold = null);
