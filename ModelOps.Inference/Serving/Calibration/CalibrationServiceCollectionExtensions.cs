using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

using ModelOps.Core.Serving.Calibration;

namespace ModelOps.Inference.Serving.Calibration;

public static class CalibrationServiceCollectionExtensions
{
    /// <summary>
    /// Online calibration and its snapshots, with <see cref="CalibrationOptions"/> bound and
    /// validated at start. Snapshots need <c>AddModelOpsCore()</c> (database and audit trail).
    /// </summary>
    public static IServiceCollection AddCalibration(this IServiceCollection services)
    {
        services.AddOptions<CalibrationOptions>().BindConfiguration(CalibrationOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CalibrationOptions>, CalibrationOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CalibrationRegistry>();
        services.AddScoped<CalibrationSnapshots>();
        services.AddScoped<ICalibrationSnapshots>(provider => provider.GetRequiredService<CalibrationSnapshots>());
        return services;
    }
}
