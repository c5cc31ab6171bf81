using Microsoft.Extensions.Options;

namespace ModelOps.Inference.Serving.Metrics;

/// <summary>Checks the data annotations of <see cref="ServingMetricsOptions"/> at start (source-generated, no reflection).</summary>
[OptionsValidator]
public sealed partial class ServingMetricsOptionsValidator : IValidateOptions<ServingMetricsOptions>;
