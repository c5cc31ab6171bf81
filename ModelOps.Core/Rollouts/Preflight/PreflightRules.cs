using System.Globalization;
using ModelOps.Core.Registry;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Rollouts.Preflight;

/// <summary>The preflight checks that only compare registered facts: pure, tested case by case.</summary>
public static class PreflightRules
{
    /// <summary>The candidate must take and give exactly what the target does: callers and the rollback depend on it.</summary>
    public static PreflightCheck Signature(ModelVersionView? candidate, ModelVersionView? target)
    {
        if (candidate is null || target is null)
        {
            return new("signature", false, "Both versions must be registered to compare their input/output signatures.");
        }

        var same = Same(candidate.Inputs, target.Inputs) && Same(candidate.Outputs, target.Outputs);
        return same
            ? new("signature", true, $"Inputs {Describe(candidate.Inputs)} and outputs {Describe(candidate.Outputs)} match the target's.")
            : new("signature", false,
                $"v{candidate.Version} has inputs {Describe(candidate.Inputs)} and outputs {Describe(candidate.Outputs)}; the target v{target.Version} has {Describe(target.Inputs)} and {Describe(target.Outputs)}. " +
                "Roll out a version with the target's signature (a rollback must serve the same callers).");
    }

    /// <summary>
    /// The candidate's encoder must be paired with it and be of the same family as the target's,
    /// and need no feature callers do not send today (every required feature of the candidate's
    /// encoder is in the target's).
    /// </summary>
    public static PreflightCheck Encoder(ModelVersionView? candidate, ModelVersionView? target, IReadOnlyDictionary<string, FeatureEncoderSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        if (candidate is null || target is null)
        {
            return new("encoder", false, "Both versions must be registered to compare their encoders.");
        }

        if (candidate.EncoderVersion is not { } reference || !specs.TryGetValue(reference, out var candidateSpec))
        {
            return target.EncoderVersion is null
                ? new("encoder", true, "Neither version takes named features (tensor callers only).")
                : new("encoder", false, $"v{candidate.Version} has no registered encoder paired with it, but callers send named features to {target.EncoderVersion}; register it with its encoderVersion.");
        }

        if (target.EncoderVersion is not { } targetReference || !specs.TryGetValue(targetReference, out var targetSpec))
        {
            return new("encoder", true, $"v{candidate.Version} is paired with {reference}; the target takes tensors only.");
        }

        if (candidateSpec.Name != targetSpec.Name)
        {
            return new("encoder", false, $"v{candidate.Version} is paired with {reference}, another feature family than the target's {targetReference}; callers send {targetSpec.Name} features.");
        }

        var sent = targetSpec.Features.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var missing = candidateSpec.Features.Where(f => f.Required && !sent.Contains(f.Name)).Select(f => f.Name).ToList();
        return missing.Count == 0
            ? new("encoder", true, $"v{candidate.Version} is paired with {reference}; every feature it requires is one callers of {targetReference} send.")
            : new("encoder", false, $"{reference} requires {string.Join(", ", missing)}, which callers of {targetReference} do not send; make them optional or send them first.");
    }

    /// <summary>The candidate's registered metric may be at most the guardrail's threshold below the target's (and at least its limit).</summary>
    public static PreflightCheck Offline(GuardrailSpec guardrail, ModelVersionView? candidate, ModelVersionView? target)
    {
        ArgumentNullException.ThrowIfNull(guardrail);
        var metric = guardrail.MetricName ?? "auc";
        var name = $"offline.{metric}";
        if (candidate is null || target is null)
        {
            return new(name, false, "Both versions must be registered to compare their offline metrics.");
        }

        if (!candidate.Metrics.TryGetValue(metric, out var c) || !target.Metrics.TryGetValue(metric, out var t))
        {
            return new(name, false, $"'{metric}' is not registered on both versions (candidate: {Format(candidate.Metrics.GetValueOrDefault(metric, double.NaN))}, target: {Format(target.Metrics.GetValueOrDefault(metric, double.NaN))}); register it with each version's metrics.");
        }

        var threshold = guardrail.Threshold ?? 0;
        var belowLimit = guardrail.Limit is { } limit && c < limit;
        var tooLow = guardrail.Threshold is not null && c < t - threshold;
        return tooLow || belowLimit
            ? new(name, false, $"{metric} {Format(c)} of v{candidate.Version} is worse than v{target.Version}'s {Format(t)} by more than the plan allows (drop ≤ {Format(threshold)}{(guardrail.Limit is { } l ? $", at least {Format(l)}" : string.Empty)}).")
            : new(name, true, $"{metric} {Format(c)} of v{candidate.Version} vs {Format(t)} of v{target.Version}: within the allowed drop of {Format(threshold)}.");
    }

    /// <summary>A version frozen by an open incident may not be deployed again until that incident is closed with a root cause.</summary>
    public static PreflightCheck Frozen(ModelVersionView? candidate) => candidate switch
    {
        null => new("frozen", false, "Not registered."),
        { Frozen: true } => new("frozen", false, $"v{candidate.Version} ({candidate.Digest}) is frozen by an open incident; close the incident with a root cause before deploying it again."),
        _ => new("frozen", true, $"v{candidate.Version} is not frozen by any incident."),
    };

    /// <summary>A candidate trained on a dataset flagged as corrupted is refused (POST /api/datasets/{hash}/flag).</summary>
    public static PreflightCheck Dataset(ModelVersionView? candidate, FlaggedDataset? flag) => (candidate, flag) switch
    {
        (null, _) => new("dataset", false, "Not registered."),
        (_, { } f) => new("dataset", false, $"v{candidate.Version} was trained on dataset {f.Hash}, flagged as corrupted by {f.FlaggedBy} at {f.FlaggedAt:O} ({f.Reason}); retrain on a clean dataset and register the new version."),
        ({ DatasetHash: null }, _) => new("dataset", true, $"v{candidate.Version} names no training dataset, so none of its data is flagged."),
        _ => new("dataset", true, $"v{candidate.Version}'s training dataset {candidate.DatasetHash} is not flagged as corrupted."),
    };

    /// <summary>"name@version" as stored on a model version.</summary>
    public static (string Name, int Version) SplitEncoder(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var at = reference.LastIndexOf('@');
        return at > 0 && int.TryParse(reference[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? (reference[..at], version)
            : (reference, 0);
    }

    private static bool Same(IReadOnlyList<TensorSpec> a, IReadOnlyList<TensorSpec> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Name == p.Second.Name && p.First.Datatype == p.Second.Datatype && p.First.Shape.SequenceEqual(p.Second.Shape));

    private static string Describe(IReadOnlyList<TensorSpec> tensors) =>
        "[" + string.Join(", ", tensors.Select(t => $"{t.Name} {t.Datatype}[{string.Join(",", t.Shape)}]")) + "]";

    private static string Format(double value) => double.IsNaN(value) ? "missing" : value.ToString("0.####", CultureInfo.InvariantCulture);
}
