using ModelOps.Core.Incidents.Samples;
using ModelOps.Core.Incidents.Series;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Incidents.Verification;

/// <summary>
/// What a promotion's verification reads from the metrics store, and what the incident of a failed
/// one keeps: both versions' series from the rollout's start (or <see cref="IncidentVerifier.SeriesLookback"/>
/// before the promotion, whichever is later) to the window's end — the promoted version on the
/// candidate arm during the rollout and on the baseline arm after it, the previous champion on the
/// baseline arm during the rollout — and a sample of the promoted version's logged requests, so the
/// incident holds its evidence like a rollback's does.
/// </summary>
public sealed class PromotionEvidence(IncidentSeriesRecorder series, IncidentSampleRecorder samples)
{
    /// <summary>One version's buckets on the baseline arm (what a champion serves on).</summary>
    public IReadOnlyList<SeriesBucket> Baseline(string model, int version, DateTimeOffset from, DateTimeOffset to) =>
        series.Read(model, version, Arm.Baseline, from, to);

    /// <summary>Adds the series and sample rows to the context (the caller saves, in the incident's transaction); returns (buckets, samples).</summary>
    public async Task<(int Buckets, int Samples)> AddAsync(string incidentId, Rollout rollout, PromotionWatch watch, DateTimeOffset windowTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(watch);
        // The candidate arm through the bucket the promotion fell in (a short rollout may not fill one); the baseline arm
        // holds one version per bucket (one row per incident, arm and bucket), so the old champion up to that bucket, the new from it.
        var promotedAt = IncidentSeriesRecorder.Floor(watch.PromotedAt);
        var rolloutEnd = IncidentSeriesRecorder.Ceiling(watch.PromotedAt);
        var lookback = watch.PromotedAt - IncidentVerifier.SeriesLookback;
        var from = IncidentSeriesRecorder.Floor(rollout.StartedAt > lookback ? rollout.StartedAt : lookback);
        var buckets = series.CopyRange(incidentId, watch.Model, watch.PromotedVersion, Arm.Candidate, from, rolloutEnd)
            + series.CopyRange(incidentId, watch.Model, watch.PreviousVersion, Arm.Baseline, from, promotedAt)
            + series.CopyRange(incidentId, watch.Model, watch.PromotedVersion, Arm.Baseline, promotedAt, windowTo);
        var sampled = await samples.AddAsync(incidentId, rollout, windowTo, cancellationToken);
        return (buckets, sampled);
    }
}
