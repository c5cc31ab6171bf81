using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModelOps.Core.Divergence;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;

namespace ModelOps.Core.Incidents.Replay;

/// <summary>
/// Runs the oldest pending replay: reads the candidate's logged predictions in batches (oldest
/// first, at most <see cref="ReplayOptions.MaxRows"/>), scores each batch on an offline session of
/// the rollback target, and reports the divergence (<see cref="DivergenceReporter"/>; baseline =
/// the target's replayed score, candidate = the score the candidate answered). Progress is written
/// after every batch; a cancel request is honoured between batches; the time bound ends it with a
/// partial report that says so. Every status change is a conditional update on the status read,
/// so a cancel racing a start is never overwritten. A run found <c>running</c> was interrupted by a
/// restart and starts again from its first row, at most <see cref="MaxAttempts"/> times.
/// </summary>
public sealed class ReplayRunner(ModelOpsDbContext db, IReplaySource source, IOfflineScorer scorer, IOptions<ReplayOptions> options, TimeProvider time)
{
    public const int MaxAttempts = 3;

    internal static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web);

    /// <summary>Runs the oldest queued or interrupted replay to its end; false when there was none.</summary>
    public async Task<bool> RunNextAsync(CancellationToken cancellationToken)
    {
        var run = await db.Set<ReplayRun>().AsNoTracking()
            .Where(r => r.Status == ReplayStates.Queued || r.Status == ReplayStates.Running)
            .OrderBy(r => r.QueuedAt).FirstOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return false;
        }

        if (run.Attempts >= MaxAttempts)
        {
            await EndAsync(run, ReplayStates.Failed, null, $"interrupted {run.Attempts} times (the process stopped during each run); POST /api/incidents/{run.IncidentId}/replay to try again", cancellationToken);
            return true;
        }

        var total = await source.CountAsync(run.Model, run.CandidateVersion, run.From, run.To, options.Value.MaxRows, cancellationToken);
        var claimed = await Runs(run).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.Status, ReplayStates.Running).SetProperty(r => r.StartedAt, time.GetUtcNow())
            .SetProperty(r => r.Attempts, run.Attempts + 1).SetProperty(r => r.RowsDone, 0).SetProperty(r => r.RowsTotal, total), cancellationToken);
        if (claimed == 0)
        {
            return true;
        }

        run.Status = ReplayStates.Running;
        await ReplayAsync(run, total, cancellationToken);
        return true;
    }

    private async Task ReplayAsync(ReplayRun run, int total, CancellationToken cancellationToken)
    {
        var opened = await scorer.OpenAsync(run.Model, run.TargetVersion, cancellationToken);
        if (!opened.IsSuccess)
        {
            await EndAsync(run, ReplayStates.Failed, null, opened.Error.Detail, cancellationToken);
            return;
        }

        using var session = opened.Value;
        var threshold = await ThresholdAsync(run, cancellationToken);
        var pairs = new List<DivergencePair>(total);
        var (done, unscored) = (0, 0);
        string? stoppedBy = null;
        LoggedPrediction? last = null;
        var started = time.GetTimestamp();
        while (done < total)
        {
            if (time.GetElapsedTime(started).TotalSeconds >= options.Value.MaxSeconds)
            {
                stoppedBy = $"Stopped at the time bound ({options.Value.MaxSeconds} s, ModelOps:Incidents:Replay:MaxSeconds) after {done} of {total} rows.";
                break;
            }

            if (await CancelledByAsync(run.Id, cancellationToken) is { } actor)
            {
                var partial = DivergenceReporter.Build(pairs, threshold, options.Value.MinSegmentRows, $"Cancelled by {actor} after {done} of {total} rows.");
                await EndAsync(run, ReplayStates.Cancelled, partial, null, cancellationToken);
                return;
            }

            var working = time.GetTimestamp();
            var batch = await source.ReadAsync(run.Model, run.CandidateVersion, run.From, run.To, last, Math.Min(options.Value.BatchSize, total - done), cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            var scores = session.Score(batch);
            for (var i = 0; i < batch.Count; i++)
            {
                if (double.IsNaN(scores[i]))
                {
                    unscored++;
                    continue;
                }

                var row = batch[i];
                pairs.Add(new DivergencePair(scores[i], row.Score, SegmentKeys.For(row.Region, row.At, row.Features, session.Encoder)));
            }

            (done, last) = (done + batch.Count, batch[^1]);
            await Runs(run).ExecuteUpdateAsync(u => u.SetProperty(r => r.RowsDone, done), cancellationToken);
            await YieldAsync(time.GetElapsedTime(working), cancellationToken);
        }

        var note = unscored == 0 ? stoppedBy : $"{stoppedBy} {unscored} rows could not be scored by v{run.TargetVersion} (input width or encoder mismatch) and are left out.".Trim();
        await EndAsync(run, ReplayStates.Completed, DivergenceReporter.Build(pairs, threshold, options.Value.MinSegmentRows, note), null, cancellationToken);
    }

    /// <summary>Leaves serving the cores: waits in proportion to the work just done (<see cref="ReplayOptions.DutyCycle"/>).</summary>
    private async Task YieldAsync(TimeSpan worked, CancellationToken cancellationToken)
    {
        var pause = Math.Max(options.Value.PauseMsPerBatch, worked.TotalMilliseconds * ((1 / options.Value.DutyCycle) - 1));
        if (pause >= 1)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(pause), time, cancellationToken);
        }
    }

    /// <summary>The candidate's registered threshold, else the target's, else the documented default.</summary>
    private async Task<DecisionThreshold> ThresholdAsync(ReplayRun run, CancellationToken cancellationToken)
    {
        var thresholds = await db.Set<ModelVersion>().AsNoTracking()
            .Where(v => v.Model == run.Model && (v.Version == run.CandidateVersion || v.Version == run.TargetVersion))
            .Select(v => new { v.Version, v.DecisionThreshold }).ToListAsync(cancellationToken);
        return DecisionThreshold.Of(
            thresholds.SingleOrDefault(t => t.Version == run.CandidateVersion)?.DecisionThreshold,
            thresholds.SingleOrDefault(t => t.Version == run.TargetVersion)?.DecisionThreshold);
    }

    private Task<string?> CancelledByAsync(string id, CancellationToken cancellationToken) =>
        db.Set<ReplayRun>().AsNoTracking().Where(r => r.Id == id).Select(r => r.CancelRequestedBy).SingleAsync(cancellationToken);

    private IQueryable<ReplayRun> Runs(ReplayRun run) => db.Set<ReplayRun>().Where(r => r.Id == run.Id && r.Status == run.Status);

    private async Task EndAsync(ReplayRun run, string status, DivergenceReport? report, string? error, CancellationToken cancellationToken)
    {
        var json = report is null ? null : JsonSerializer.Serialize(report, ReportJson);
        await Runs(run).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.Status, status).SetProperty(r => r.EndedAt, time.GetUtcNow())
            .SetProperty(r => r.ReportJson, json).SetProperty(r => r.Error, error), cancellationToken);
    }
}
