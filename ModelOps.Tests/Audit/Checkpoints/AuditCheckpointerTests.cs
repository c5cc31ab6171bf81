using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Audit.Checkpoints;
using ModelOps.Web.Audit;

namespace ModelOps.Tests.Audit.Checkpoints;

public sealed class AuditCheckpointerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private CheckpointHarness _harness = null!; // Set in InitializeAsync.

    public async Task InitializeAsync() => _harness = await CheckpointHarness.CreateAsync(_time);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Checkpoint_EmptyLog_WritesNothing()
    {
        var outcome = await _harness.Checkpointer.CheckpointAsync(CancellationToken.None);

        Assert.Equal(CheckpointStatus.Empty, outcome.Status);
        Assert.Empty((await _harness.File.ReadAsync(CancellationToken.None)).Lines);
    }

    [Fact]
    public async Task Checkpoint_HeadUnchanged_WritesNoSecondLine()
    {
        await _harness.AppendAsync(3);
        var first = await _harness.Checkpointer.CheckpointAsync(CancellationToken.None);

        var second = await _harness.Checkpointer.CheckpointAsync(CancellationToken.None);

        Assert.Equal(CheckpointStatus.Written, first.Status);
        Assert.Equal(3, first.Checkpoint!.Seq);
        Assert.Equal(CheckpointStatus.Unchanged, second.Status);
        Assert.Single((await _harness.File.ReadAsync(CancellationToken.None)).Lines);
    }

    [Fact]
    public async Task Checkpoint_ChainCutBelowLastCheckpoint_RefusesToSignTheShorterHead()
    {
        await _harness.AppendAsync(5);
        await _harness.Checkpointer.CheckpointAsync(CancellationToken.None);
        await _harness.ExecuteSqlAsync("""DELETE FROM "AuditLog" WHERE "Seq" > 3""");

        var outcome = await _harness.Checkpointer.CheckpointAsync(CancellationToken.None);

        Assert.Equal(CheckpointStatus.Refused, outcome.Status);
        Assert.Single((await _harness.File.ReadAsync(CancellationToken.None)).Lines);
        var verification = await _harness.VerifyAsync();
        Assert.False(verification.Valid);
        Assert.Equal(new Core.Audit.AuditGap(4, 5), verification.Missing);
    }

    [Fact]
    public async Task Checkpoint_ConcurrentCallers_KeepOneLinkedChainWithRisingSeqs()
    {
        var writers = Enumerable.Range(0, 12).Select(async _ =>
        {
            await _harness.AppendAsync(1);
            await _harness.Checkpointer.CheckpointAsync(CancellationToken.None);
        });

        await Task.WhenAll(writers);

        using var verifier = _harness.Signer.Verifier();
        var check = CheckpointChainCheck.Run(await _harness.File.ReadAsync(CancellationToken.None), verifier);
        Assert.True(check.Report.Valid, check.Report.Detail);
        Assert.Equal(12, check.Anchor!.Seq);
    }

    [Fact]
    public async Task RoutingAction_Committed_IsAnchoredBeforeAppendReturns()
    {
        await _harness.AppendAsync(2);

        await _harness.AppendAsync(1, action: "routing.applied");

        var line = Assert.Single((await _harness.File.ReadAsync(CancellationToken.None)).Lines);
        Assert.Equal(3, line.Checkpoint!.Seq);
    }

    [Fact]
    public async Task Timer_IntervalElapsedAfterHeadMoved_CheckpointsTheNewHeadAtFakeTime()
    {
        await _harness.AppendAsync(2);
        var options = Options.Create(new AuditCheckpointOptions { CheckpointIntervalSeconds = 60 });
        using var timer = new AuditCheckpointTimer(_harness.Checkpointer, options, _time, NullLogger<AuditCheckpointTimer>.Instance);
        await ((IHostedService)timer).StartAsync(CancellationToken.None);
        Assert.Single((await _harness.File.ReadAsync(CancellationToken.None)).Lines);

        await _harness.AppendAsync(1);
        _time.Advance(TimeSpan.FromSeconds(60));
        var lines = await WaitForLinesAsync(2);

        await ((IHostedService)timer).StopAsync(CancellationToken.None);
        Assert.Equal([2L, 3L], lines.Select(l => l.Checkpoint!.Seq));
        Assert.Equal(_time.GetUtcNow(), lines[1].Checkpoint!.At);
    }

    private async Task<IReadOnlyList<CheckpointLine>> WaitForLinesAsync(int count)
    {
        // The timer's continuation runs on the thread pool after Advance returns; poll briefly.
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var lines = (await _harness.File.ReadAsync(CancellationToken.None)).Lines;
            if (lines.Count >= count)
            {
                return lines;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"expected {count} checkpoint lines");
    }
}
