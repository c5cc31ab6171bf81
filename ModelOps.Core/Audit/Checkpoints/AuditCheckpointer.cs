using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ModelOps.Core.Audit.Checkpoints;

/// <summary>
/// Writes checkpoints (a DI singleton). One lock covers read-head, sign and append, so
/// concurrent callers (the periodic job, a routing change) never interleave lines or fork the
/// checkpoint chain, and anchored heads only move forward.
/// </summary>
public sealed partial class AuditCheckpointer(
    IServiceScopeFactory scopes,
    CheckpointSigner signer,
    CheckpointFile file,
    TimeProvider time,
    ILogger<AuditCheckpointer> logger) : IAuditCheckpointer, IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    // The newest anchor and the hash the next line links to; loaded from the file once, then
    // kept in memory, so a checkpoint line cut from the file later still breaks the next link.
    private FileState? _state;

    public async Task<CheckpointOutcome> CheckpointAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var outcome = await CheckpointLockedAsync(cancellationToken);
            if (outcome.Status == CheckpointStatus.Refused)
            {
                Log.Refused(logger, outcome.Detail);
            }

            return outcome;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.Failed(logger, exception, file.Path);
            return new CheckpointOutcome(CheckpointStatus.Failed, $"Could not write a checkpoint to {file.Path}: {exception.Message}");
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();

    private async Task<CheckpointOutcome> CheckpointLockedAsync(CancellationToken cancellationToken)
    {
        _state ??= await LoadAsync(cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var log = scope.ServiceProvider.GetRequiredService<AuditLog>();
        if (await log.HeadAsync(cancellationToken) is not { } head)
        {
            return new CheckpointOutcome(CheckpointStatus.Empty, "The audit log has no rows to anchor yet.");
        }

        if (_state.Anchor is { } last)
        {
            if (head.Seq == last.Seq && head.Hash == last.HeadHash)
            {
                return new CheckpointOutcome(CheckpointStatus.Unchanged, $"The head (seq {head.Seq}) is already anchored.");
            }

            // Signing a head that does not extend the last checkpoint would make a cut or a
            // rewrite look legitimate to every later verification.
            var hashAtLast = head.Seq < last.Seq ? null : await log.HashAtAsync(last.Seq, cancellationToken);
            if (hashAtLast != last.HeadHash)
            {
                return new CheckpointOutcome(
                    CheckpointStatus.Refused,
                    head.Seq < last.Seq
                        ? $"The audit chain ends at seq {head.Seq} but a signed checkpoint anchors seq {last.Seq}: rows were cut from its end. Not signing; run GET /api/audit/verify."
                        : $"Row {last.Seq} no longer has the hash a signed checkpoint anchors: the chain was rewritten. Not signing; run GET /api/audit/verify.");
            }
        }

        var checkpoint = signer.Sign(head.Seq, head.Hash, time.GetUtcNow(), _state.NextPrevHash);
        var cut = await file.AppendAsync(checkpoint, cancellationToken);
        if (cut > 0)
        {
            Log.TornTailCut(logger, cut, file.Path);
        }

        _state = new FileState(checkpoint, checkpoint.Hash());
        return new CheckpointOutcome(CheckpointStatus.Written, $"Anchored seq {head.Seq}.", checkpoint);
    }

    private async Task<FileState> LoadAsync(CancellationToken cancellationToken)
    {
        using var verifier = signer.Verifier();
        var check = CheckpointChainCheck.Run(await file.ReadAsync(cancellationToken), verifier);
        if (!check.Report.Valid)
        {
            Log.FileInvalid(logger, file.Path, check.Report.Detail);
        }

        return new FileState(check.Anchor, check.NextPrevHash);
    }

    private sealed record FileState(AuditCheckpoint? Anchor, string NextPrevHash);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Critical, Message = "Audit checkpoint refused: {Problem}")]
        public static partial void Refused(ILogger logger, string problem);

        [LoggerMessage(Level = LogLevel.Error, Message = "Audit checkpoint to {Path} failed; the next periodic checkpoint retries")]
        public static partial void Failed(ILogger logger, Exception exception, string path);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Cut {Bytes} bytes of an incomplete last line (a crash mid-append) from {Path}")]
        public static partial void TornTailCut(ILogger logger, long bytes, string path);

        [LoggerMessage(Level = LogLevel.Critical, Message = "The audit checkpoint file {Path} fails its own check: {Problem}")]
        public static partial void FileInvalid(ILogger logger, string path, string problem);
    }
}
