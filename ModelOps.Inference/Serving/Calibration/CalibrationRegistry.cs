using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace ModelOps.Inference.Serving.Calibration;

/// <summary>
/// Online calibration state of this process (a DI singleton), one <see cref="PlattCalibration"/>
/// per (model, version). A model not listed in <see cref="CalibrationOptions.Models"/> is passed
/// through unchanged and learns nothing. State lives in memory; <see cref="CalibrationSnapshots"/>
/// persists and restores it.
/// </summary>
public sealed class CalibrationRegistry(IOptions<CalibrationOptions> options)
{
    private readonly ConcurrentDictionary<(string Model, int Version), PlattCalibration> _versions = new();
    private readonly FrozenSet<string> _enabled = options.Value.Models.ToFrozenSet(StringComparer.Ordinal);
    private readonly double _learningRate = options.Value.LearningRate;

    public bool IsEnabled(string model) => _enabled.Contains(model);

    /// <summary>The calibrated probability; <paramref name="rawProbability"/> itself when the model is not enabled.</summary>
    public double Calibrate(string model, int version, double rawProbability)
    {
        if (!IsEnabled(model))
        {
            return rawProbability;
        }

        // Reading does not create state, so scoring a version that never gets feedback costs no memory.
        return _versions.TryGetValue((model, version), out var calibration)
            ? calibration.Calibrate(rawProbability)
            : PlattCalibration.Apply(CalibrationState.Identity, rawProbability);
    }

    /// <summary>Learns from one outcome; false when the model is not enabled or a number is not finite.</summary>
    public bool Observe(string model, int version, double rawProbability, double outcome) =>
        IsEnabled(model) && For(model, version).Observe(rawProbability, outcome);

    /// <summary>The version's parameters; <see cref="CalibrationState.Identity"/> before its first outcome.</summary>
    public CalibrationState Get(string model, int version) =>
        _versions.TryGetValue((model, version), out var calibration) ? calibration.State : CalibrationState.Identity;

    /// <summary>Replaces the version's parameters (kept even while the model is disabled, so a restore is not lost).</summary>
    public void Set(string model, int version, CalibrationState state) => For(model, version).Reset(state);

    /// <summary>Forgets a version (it was unloaded); true when it had state.</summary>
    public bool Remove(string model, int version) => _versions.TryRemove((model, version), out _);

    private PlattCalibration For(string model, int version) =>
        _versions.GetOrAdd((model, version), static (_, rate) => new PlattCalibration(rate, CalibrationState.Identity), _learningRate);
}
