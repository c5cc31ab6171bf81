using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Serving.Metrics;

/// <summary>Read side of the serving measurements, as the guardrail evaluation consumes them.</summary>
public interface IServingMetrics
{
    /// <summary>
    /// Sums every one-second bucket whose start lies in [<paramref name="from"/>, <paramref name="to"/>).
    /// Buckets older than the store's horizon are gone and count as empty.
    /// </summary>
    MetricsWindow Query(string model, int version, Arm arm, DateTimeOffset from, DateTimeOffset to);

    /// <summary>The series that hold at least one bucket inside the horizon.</summary>
    IReadOnlyList<ServingSeriesKey> Keys();
}
