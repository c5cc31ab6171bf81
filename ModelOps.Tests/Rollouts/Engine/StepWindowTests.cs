using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Routing;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>Which seconds a step's stratum may hold: only those served wholly under the step's split.</summary>
public sealed class StepWindowTests
{
    private static readonly DateTimeOffset Decided = new(2026, 12, 3, 12, 0, 10, 400, TimeSpan.Zero);

    [Fact]
    public void MeasureFrom_NoRoutingView_TheFirstWholeSecondAfterTheDecision()
    {
        var from = StepWindow.MeasureFrom(Decided, null, null, 3, 50, false, Decided.AddSeconds(5));

        Assert.Equal(Decided.AddMilliseconds(600), from);
    }

    [Fact]
    public void MeasureFrom_StepSplitLiveSecondsAfterTheDecision_StartsAfterItWentLive()
    {
        // The swap warmed the candidate for 2.3 s: the baseline-only seconds before are not the step's.
        var live = new LiveSplit(7, 3, 50, null, Decided.AddSeconds(2.3));

        var from = StepWindow.MeasureFrom(Decided, null, live, 3, 50, false, Decided.AddSeconds(5));

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 12, 0, 13, TimeSpan.Zero), from);
    }

    [Fact]
    public void MeasureFrom_PreviousStepsLastLookBeforeTheDecision_StartsAtTheStepNotTheLook()
    {
        // After an advance the stored look is the previous step's: its seconds belong to the previous stratum.
        var live = new LiveSplit(8, 3, 25, null, Decided.AddSeconds(-0.2));

        var from = StepWindow.MeasureFrom(Decided, Decided.AddSeconds(-3.4), live, 3, 25, false, Decided.AddSeconds(5));

        Assert.Equal(Decided.AddMilliseconds(600), from);
    }

    [Fact]
    public void MeasureFrom_LaterLookWithinTheStep_ContinuesFromTheLook()
    {
        var live = new LiveSplit(7, 3, 50, null, Decided.AddSeconds(0.5));
        var looked = Decided.AddSeconds(30.6);

        Assert.Equal(looked, StepWindow.MeasureFrom(Decided, looked, live, 3, 50, false, Decided.AddSeconds(33)));
    }

    [Fact]
    public void MeasureFrom_StepSplitNotLiveYet_WaitsWithinTheGrace()
    {
        var previous = new LiveSplit(6, 3, 5, null, Decided.AddMinutes(-10));

        Assert.Null(StepWindow.MeasureFrom(Decided, null, previous, 3, 25, false, Decided + StepWindow.Grace - TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void MeasureFrom_StepSplitNeverLive_JudgesWhatWasServedAfterTheGrace()
    {
        // A split that never arrives is a routing fault: the look measures, and sample ratio sees it.
        var previous = new LiveSplit(6, 3, 5, null, Decided.AddMinutes(-10));

        var from = StepWindow.MeasureFrom(Decided, null, previous, 3, 25, false, Decided + StepWindow.Grace);

        Assert.Equal(Decided.AddMilliseconds(600), from);
    }

    [Theory]
    [InlineData(3, 50.0, null, 50.0, false, true)]
    [InlineData(3, 25.0, null, 50.0, false, false)]
    [InlineData(4, 50.0, null, 50.0, false, false)] // another candidate's table
    [InlineData(null, 0.0, null, 0.0, false, true)] // a rollback hold at 0 %: the target alone
    [InlineData(3, 0.0, 3, 0.0, true, true)] // shadow: mirrored, not routed
    [InlineData(null, 0.0, null, 0.0, true, false)] // shadow asked, no mirror live
    public void Carries_ComparesTheCandidatesWeightAndTheMirror(int? liveCandidate, double livePercent, int? liveShadow, double askedPercent, bool shadowing, bool expected)
    {
        var live = new LiveSplit(1, liveCandidate, livePercent, liveShadow, Decided);

        Assert.Equal(expected, StepWindow.Carries(live, 3, askedPercent, shadowing));
    }

    [Fact]
    public void LiveSplit_FromTheHolder_TheCandidatesWeightAndWhenItWasPublishedHere()
    {
        var time = new FakeTimeProvider(Decided);
        var holder = new RoutingTableHolder(time);
        Assert.True(holder.Publish(RoutingTable.Canary("ctr", 2, 3, 5, 1).Value!).IsSuccess);
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.True(holder.Publish(RoutingTable.Canary("ctr", 2, 3, 50, 2).Value!).IsSuccess);
        time.Advance(TimeSpan.FromSeconds(9));

        var (table, since) = holder.LiveSince("ctr")!.Value;
        var live = LiveSplit.Of(table, since);

        Assert.Equal(new LiveSplit(2, 3, 50, null, Decided.AddSeconds(4)), live);
        Assert.Null(holder.LiveSince("other"));
    }
}
