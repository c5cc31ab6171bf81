using Microsoft.Extensions.Options;

namespace ModelOps.Inference.Serving.Log;

[OptionsValidator]
internal sealed partial class InferenceLogOptionsValidator : IValidateOptions<InferenceLogOptions>;
