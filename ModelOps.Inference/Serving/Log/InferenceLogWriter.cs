using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelOps.Core.Serving.Log;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// Persists the inference log and feedback off the request path: <see cref="Enqueue"/> and
/// <see cref="EnqueueFeedback"/> only write to a bounded in-memory queue, and one background
/// consumer inserts the queue in batches (up to <see cref="InferenceLogOptions.BatchSize"/>
/// rows, or whatever arrived within <see cref="InferenceLogOptions.FlushIntervalMs"/>), one
/// transaction per batch.
/// <para>
/// Overload policy (drop newest): when the queue already holds
/// <see cref="InferenceLogOptions.Capacity"/> items, or the writer has stopped, the new record
/// or feedback is dropped, never blocking the request; it is counted in
/// <see cref="InferenceLogStats.Dropped"/> and a warning is logged at most every
/// <see cref="DropWarningInterval"/>. A batch the database keeps refusing is retried
/// <see cref="MaxAttempts"/> times, then dropped, counted and logged as an error. A batch that
/// fails because the database is out of reach (a transient fault: refused or broken connection,
/// time-out) is retried until it is back, every <see cref="OutageRetryDelay"/> at most, while the
/// queue fills behind it (and drops newest once full): an outage shorter than the queue's
/// capacity at the request rate loses nothing. Invariant once
/// stopped: Enqueued = Persisted + FeedbackPersisted + Dropped (Enqueued and Dropped count
/// feedback too).
/// </para>
/// <para>
/// Graceful shutdown: <see cref="StopAsync"/> closes the queue and returns only when everything
/// queued is persisted (bounded by the capacity: about a second at the default). If the host's
/// shutdown deadline passes while the database refuses writes, failing batches are no longer
/// retried.
/// </para>
/// <para>
/// Crash safety: with a <see cref="InferenceLogJournal"/>, an accepted item is also appended to
/// the journal before <see cref="Enqueue"/> returns (so before the request is answered), and the
/// journal is released as batches commit. <see cref="StartAsync"/> first replays what an earlier
/// process left there. Once a batch is dropped, the journal is no longer released: the dropped
/// rows stay in it and the next start replays them.
/// </para>
/// </summary>
public sealed partial class InferenceLogWriter(
    InferenceLogDatabase database,
    IOptions<InferenceLogOptions> options,
    TimeProvider time,
    ILogger<InferenceLogWriter> logger,
    InferenceLogJournal? journal = null) : IInferenceLog, IHostedService
{
    public const int MaxAttempts = 3;

    public static readonly TimeSpan DropWarningInterval = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between attempts at a batch while the database is out of reach.</summary>
    public static readonly TimeSpan OutageRetryDelay = TimeSpan.FromSeconds(2);

    private readonly Channel<LogItem> _queue = Channel.CreateBounded<LogItem>(
        new BoundedChannelOptions(options.Value.Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly int _capacity = options.Value.Capacity;
    private readonly int _batchSize = options.Value.BatchSize;
    private readonly TimeSpan _flushInterval = TimeSpan.FromMilliseconds(options.Value.FlushIntervalMs);
    private long _enqueued;
    private long _persisted;
    private long _dropped;
    private long _feedbackPersisted;
    private long _lastDropWarning = long.MinValue;
    private volatile bool _givingUp;
    private bool _holdJournal;
    private Task? _consumer;
    private Task? _syncLoop;
    private readonly CancellationTokenSource _stopping = new();
    private Func<LogItem, bool>? _admit;

    public InferenceLogStats Stats => new(
        Interlocked.Read(ref _enqueued),
        Interlocked.Read(ref _persisted),
        Interlocked.Read(ref _dropped),
        _queue.Reader.Count,
        Interlocked.Read(ref _feedbackPersisted));

    public void Enqueue(InferenceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Accept(new LogItem(record, null));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The outcome is not finite (validate it first).</exception>
    public void EnqueueFeedback(InferenceFeedback feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        // A NaN outcome would be stored as NULL and make the whole batch fail its NOT NULL check.
        if (!double.IsFinite(feedback.Outcome))
        {
            throw new ArgumentOutOfRangeException(nameof(feedback), feedback.Outcome, "A feedback outcome must be a finite number.");
        }

        Accept(new LogItem(null, feedback));
    }

    /// <summary>Replays the journal an earlier process left (before this one serves), then starts the consumer.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (journal is not null && _consumer is null)
        {
            await ReplayAsync(journal, cancellationToken);
            var interval = options.Value.JournalFsyncIntervalMs;
            _syncLoop ??= interval > 0 ? Task.Run(() => SyncLoopAsync(journal, TimeSpan.FromMilliseconds(interval)), CancellationToken.None) : null;
        }

        _consumer ??= Task.Run(ConsumeAsync, CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        // Started here too if the host never started it, so records queued before are not lost.
        _consumer ??= Task.Run(ConsumeAsync, CancellationToken.None);
        await using (cancellationToken.Register(static state => ((InferenceLogWriter)state!)._givingUp = true, this))
        {
            await _consumer;
        }

        await _stopping.CancelAsync();
        if (_syncLoop is not null)
        {
            await _syncLoop;
        }

        var stats = Stats;
        Log.Stopped(logger, stats.Persisted, stats.FeedbackPersisted, stats.Dropped);
    }

    private void Accept(LogItem item)
    {
        Interlocked.Increment(ref _enqueued);
        var admitted = journal is null
            ? _queue.Writer.TryWrite(item)
            : journal.Append(item, _admit ??= _queue.Writer.TryWrite);
        if (!admitted)
        {
            Drop(1);
        }
    }

    private async Task ReplayAsync(InferenceLogJournal leftovers, CancellationToken cancellationToken)
    {
        if (leftovers.Leftovers.Count == 0)
        {
            return;
        }

        try
        {
            var replay = await InferenceLogReplay.RunAsync(leftovers, database, _batchSize, cancellationToken);
            Log.Replayed(logger, replay.Segments, replay.Read, replay.Records, replay.Feedback, replay.TornSegments);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Serving must start; the segments stay and the next start tries again.
            Log.ReplayFailed(logger, exception, leftovers.Directory);
        }
    }

    private async Task SyncLoopAsync(InferenceLogJournal target, TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                target.FlushToDisk();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the last flush below covers what was written since the last tick.
        }
        catch (IOException exception)
        {
            Log.SyncFailed(logger, exception);
            return;
        }

        target.FlushToDisk();
    }

    private void Drop(int count)
    {
        var dropped = Interlocked.Add(ref _dropped, count);
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastDropWarning);
        var due = last == long.MinValue || time.GetElapsedTime(last, now) >= DropWarningInterval;
        if (due && Interlocked.CompareExchange(ref _lastDropWarning, now, last) == last)
        {
            Log.Dropping(logger, _capacity, dropped);
        }
    }

    private async Task ConsumeAsync()
    {
        try
        {
            using var rows = database.CreateRows();
            var batch = new List<LogItem>(_batchSize);
            // No token: the loop ends only once the queue is completed and empty.
            while (await _queue.Reader.WaitToReadAsync())
            {
                await FillAsync(batch);
                await PersistAsync(rows, batch);
                if (journal is not null && !_holdJournal && batch[^1] is { Segment: > 0 } last)
                {
                    journal.Release(last.Segment, last.End);
                }

                batch.Clear();
            }
        }
        catch (Exception exception)
        {
            Log.ConsumerFailed(logger, exception);
            throw;
        }
    }

    /// <summary>Takes what is queued, then waits for more until the batch is full or the interval ends.</summary>
    private async Task FillAsync(List<LogItem> batch)
    {
        var reader = _queue.Reader;
        Take(reader, batch);
        if (batch.Count >= _batchSize)
        {
            return;
        }

        using var window = new CancellationTokenSource(_flushInterval, time);
        while (batch.Count < _batchSize && !window.IsCancellationRequested)
        {
            var wait = reader.WaitToReadAsync(window.Token).AsTask();
            // The interval ending is the normal way out, not an error: observe it without throwing.
            await ((Task)wait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!wait.IsCompletedSuccessfully || !await wait)
            {
                return;
            }

            Take(reader, batch);
        }
    }

    private void Take(ChannelReader<LogItem> reader, List<LogItem> batch)
    {
        while (batch.Count < _batchSize && reader.TryRead(out var item))
        {
            batch.Add(item);
        }
    }

    private async Task PersistAsync(IInferenceLogRows rows, List<LogItem> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (records, feedback) = await rows.InsertAsync(batch, CancellationToken.None);
                Interlocked.Add(ref _persisted, records);
                Interlocked.Add(ref _feedbackPersisted, feedback);
                return;
            }
            catch (Exception exception) when (!_givingUp && (attempt < MaxAttempts || IsOutage(exception)))
            {
                if (attempt <= MaxAttempts || attempt % 30 == 0)
                {
                    Log.BatchRetrying(logger, exception, batch.Count, attempt);
                }
            }
            catch (Exception exception)
            {
                // The transaction rolled back, so none of the batch is stored: count all of it.
                Log.BatchDropped(logger, exception, batch.Count, attempt);
                Drop(batch.Count);
                _holdJournal = journal is not null;
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(250 * attempt, OutageRetryDelay.TotalMilliseconds)), time);
        }
    }

    /// <summary>The database out of reach rather than refusing the rows (a missing table or a constraint is not transient).</summary>
    private static bool IsOutage(Exception exception) => exception is DbException { IsTransient: true };

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Inference log queue full or stopped (capacity {Capacity}); {Dropped} items dropped since start")]
        public static partial void Dropping(ILogger logger, int capacity, long dropped);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Inference log batch of {Count} rows failed on attempt {Attempt}; retrying")]
        public static partial void BatchRetrying(ILogger logger, Exception exception, int count, int attempt);

        [LoggerMessage(Level = LogLevel.Error, Message = "Inference log batch of {Count} rows dropped after {Attempts} attempts")]
        public static partial void BatchDropped(ILogger logger, Exception exception, int count, int attempts);

        [LoggerMessage(Level = LogLevel.Critical, Message = "Inference log writer stopped on an unexpected fault; new records will be dropped")]
        public static partial void ConsumerFailed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Information, Message = "Inference log journal replayed: {Segments} segments, {Read} items read, {Records} records and {Feedback} feedback written (the rest were stored already), {TornSegments} segments ended on a torn frame")]
        public static partial void Replayed(ILogger logger, int segments, int read, int records, int feedback, int tornSegments);

        [LoggerMessage(Level = LogLevel.Error, Message = "Inference log journal replay failed; its segments stay in {Directory} and are replayed at the next start")]
        public static partial void ReplayFailed(ILogger logger, Exception exception, string directory);

        [LoggerMessage(Level = LogLevel.Error, Message = "Inference log journal fsync failed; answered requests now survive a process kill but not a power loss")]
        public static partial void SyncFailed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Information, Message = "Inference log drained: {Persisted} records and {Feedback} feedback persisted, {Dropped} dropped")]
        public static partial void Stopped(ILogger logger, long persisted, long feedback, long dropped);
    }
}
