using ModelOps.Core.Persistence;

namespace ModelOps.Tests.Persistence;

public sealed class WritePriorityTests
{
    [Fact]
    public async Task WaitTurn_NoUrgentFlow_CompletesAtOnce()
    {
        var priority = new WritePriority();

        var turn = priority.WaitTurnAsync(CancellationToken.None);

        Assert.True(turn.IsCompleted);
        await turn;
    }

    [Fact]
    public async Task WaitTurn_WhileAnotherFlowIsUrgent_CompletesWhenItEnds()
    {
        var priority = new WritePriority();
        var (endUrgent, urgent) = await StartUrgentFlowAsync(priority);

        var turn = priority.WaitTurnAsync(CancellationToken.None);
        await Task.Delay(100);
        var heldWhileUrgent = !turn.IsCompleted;
        endUrgent.SetResult();
        await urgent;
        await turn.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(heldWhileUrgent);
        Assert.Equal(0, priority.Urgent);
    }

    [Fact]
    public async Task WaitTurn_InsideTheUrgentFlowAndWhatItAwaits_NeverHeld()
    {
        var priority = new WritePriority();

        using (priority.BeginUrgent())
        {
            Assert.True(priority.WaitTurnAsync(CancellationToken.None).IsCompleted);
            var nested = await Task.Run(() => WritePriority.InUrgentFlow);
            Assert.True(nested);
        }

        Assert.False(WritePriority.InUrgentFlow);
    }

    [Fact]
    public async Task WaitTurn_UrgentFlowOutlastsTheCap_GoesAnywayAfterMaxWait()
    {
        var priority = new WritePriority();
        var (endUrgent, urgent) = await StartUrgentFlowAsync(priority);

        await priority.WaitTurnAsync(CancellationToken.None).WaitAsync(WritePriority.MaxWait * 5);

        Assert.Equal(1, priority.Urgent);
        endUrgent.SetResult();
        await urgent;
    }

    [Fact]
    public async Task BeginUrgent_TwoFlowsOverlap_OthersHeldUntilTheLastEnds()
    {
        var priority = new WritePriority();
        var first = priority.BeginUrgent();
        IDisposable second = null!;
        await Task.Run(() => second = priority.BeginUrgent());
        first.Dispose();
        first.Dispose(); // twice changes nothing

        var turn = Task.Run(() => priority.WaitTurnAsync(CancellationToken.None));
        await Task.Delay(100);
        var heldByTheSecond = !turn.IsCompleted;
        second.Dispose();
        await turn.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(heldByTheSecond);
        Assert.Equal(0, priority.Urgent);
    }

    /// <summary>Another flow, urgent until <c>EndUrgent</c> is set; <c>Flow</c> completes when it has ended.</summary>
    private static async Task<(TaskCompletionSource EndUrgent, Task Flow)> StartUrgentFlowAsync(WritePriority priority)
    {
        var started = new TaskCompletionSource();
        var end = new TaskCompletionSource();
        var flow = Task.Run(async () =>
        {
            using (priority.BeginUrgent())
            {
                started.SetResult();
                await end.Task;
            }
        });
        await started.Task;
        return (end, flow);
    }
}
