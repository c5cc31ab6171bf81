using Microsoft.Extensions.Options;

namespace ModelOps.Inference.Serving.Caching;

[OptionsValidator]
internal sealed partial class PredictionCacheOptionsValidator : IValidateOptions<PredictionCacheOptions>;
