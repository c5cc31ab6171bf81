namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// One run of routing flips under load: the flips' <c>ApplyAsync</c> times, those refused, the
/// load during the flips and in the window of the same length right after them, and fallbacks.
/// </summary>
public sealed record SwapMeasurement(
    int Flips,
    TimeSpan Window,
    LatencySummary Applied,
    int Refused,
    PhaseResults.Summary During,
    PhaseResults.Summary After,
    long Fallbacks,
    IReadOnlyList<long> AppliedTicks);
