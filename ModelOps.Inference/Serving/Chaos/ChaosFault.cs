using System.Globalization;
using ModelOps.Core.Common;

namespace ModelOps.Inference.Serving.Chaos;

/// <summary>
/// A game-day fault injected into one model version: extra latency, a share of requests that
/// fail, and a factor on the feedback outcomes (hence on the KPI). Invariant: every instance
/// passed <see cref="Create"/>, so the serving path never re-checks the ranges; the constructor
/// is private and the properties get-only, so neither <c>new</c> nor <c>with</c> can bypass it.
/// </summary>
public sealed record ChaosFault
{
    /// <summary>One minute: past it a caller has long timed out, so more only ties up threads.</summary>
    public const double MaxAddedLatencyMs = 60_000;

    /// <summary>Ten times the real KPI is already far outside any guardrail; more is a typo.</summary>
    public const double MaxKpiFactor = 10;

    private ChaosFault(string model, int version, double addedLatencyMs, double errorRate, double kpiFactor)
    {
        Model = model;
        Version = version;
        AddedLatencyMs = addedLatencyMs;
        ErrorRate = errorRate;
        KpiFactor = kpiFactor;
    }

    public string Model { get; }

    public int Version { get; }

    /// <summary>Milliseconds added to every request served by this version.</summary>
    public double AddedLatencyMs { get; }

    /// <summary>Fraction of requests (0..1) answered with an injected error.</summary>
    public double ErrorRate { get; }

    /// <summary>Multiplier on every feedback outcome (1 = unchanged).</summary>
    public double KpiFactor { get; }

    // Range checks are written as !(lo <= x && x <= hi) so NaN, which fails every comparison, is rejected too.
    public static Result<ChaosFault> Create(string? model, int version, double addedLatencyMs = 0, double errorRate = 0, double kpiFactor = 1)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return Error.Invalid("model", "'model' is required: the registered model name the fault applies to, e.g. \"ctr-ranker\".");
        }

        if (version < 1)
        {
            return Error.Invalid("version", $"'version' must be a registered version number (1 or more), got {version}; GET /api/models/{model}/versions lists them.");
        }

        if (!(addedLatencyMs >= 0 && addedLatencyMs <= MaxAddedLatencyMs))
        {
            return Error.Invalid("addedLatencyMs", $"'addedLatencyMs' must be between 0 and {MaxAddedLatencyMs:0} (one minute), got {Show(addedLatencyMs)}; send e.g. 250 to add a quarter of a second.");
        }

        if (!(errorRate >= 0 && errorRate <= 1))
        {
            return Error.Invalid("errorRate", $"'errorRate' is the fraction of requests to fail and must be between 0 and 1, got {Show(errorRate)}; send e.g. 0.05 to fail 5 % of requests.");
        }

        if (!(kpiFactor >= 0 && kpiFactor <= MaxKpiFactor))
        {
            return Error.Invalid("kpiFactor", $"'kpiFactor' multiplies feedback outcomes and must be between 0 and {MaxKpiFactor:0}, got {Show(kpiFactor)}; send 1 for no change or e.g. 0.8 for a 20 % KPI drop.");
        }

        return new ChaosFault(model, version, addedLatencyMs, errorRate, kpiFactor);
    }

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
