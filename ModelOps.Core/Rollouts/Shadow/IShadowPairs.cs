using ModelOps.Core.Divergence;
using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Core.Rollouts.Shadow;

/// <summary>The mirrored pairs of a shadow rollout: per request, the baseline's served score and the candidate's mirrored score.</summary>
public interface IShadowPairs
{
    /// <summary>The newest at most <paramref name="max"/> pairs logged since <paramref name="from"/>, segmented with <paramref name="encoder"/>'s features.</summary>
    Task<IReadOnlyList<DivergencePair>> ReadAsync(
        string model, int baseline, int candidate, DateTimeOffset from, FeatureEncoderSpec? encoder, int max, CancellationToken cancellationToken);
}
