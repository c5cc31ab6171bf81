using Microsoft.Extensions.Options;

namespace ModelOps.Inference.Serving.Calibration;

[OptionsValidator]
internal sealed partial class CalibrationOptionsValidator : IValidateOptions<CalibrationOptions>;
