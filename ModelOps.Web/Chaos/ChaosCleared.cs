using ModelOps.Inference.Serving.Chaos;

namespace ModelOps.Web.Chaos;

/// <summary>The answer to <c>DELETE /api/chaos</c>: how many faults were cleared, and which.</summary>
public sealed record ChaosCleared(int Cleared, IReadOnlyList<ChaosFault> Faults);
