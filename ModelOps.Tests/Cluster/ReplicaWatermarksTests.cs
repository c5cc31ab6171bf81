using ModelOps.Core.Cluster;

namespace ModelOps.Tests.Cluster;

public sealed class ReplicaWatermarksTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_000_000);
    private static readonly TimeSpan SilentAfter = TimeSpan.FromSeconds(10);

    [Fact]
    public void Cap_TwoLiveReplicas_EndsAfterTheSecondTheSlowerOneFlushedThrough()
    {
        var marks = new[] { Mark("a", 999_998, Now), Mark("b", 999_995, Now.AddSeconds(-3)) };

        var capped = ReplicaWatermarks.Cap(Now, marks, Now, SilentAfter);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(999_996), capped.To);
        Assert.Equal(["a", "b"], capped.Live);
        Assert.Empty(capped.Silent);
    }

    [Fact]
    public void Cap_EveryReplicaFlushedPastTo_KeepsTo()
    {
        var to = DateTimeOffset.FromUnixTimeSeconds(999_990);

        var capped = ReplicaWatermarks.Cap(to, [Mark("a", 999_998, Now), Mark("b", 999_999, Now)], Now, SilentAfter);

        Assert.Equal(to, capped.To);
    }

    [Fact]
    public void Cap_ReplicaSilentLongerThanTheBound_IsLeftOutAndNamed()
    {
        var marks = new[] { Mark("a", 999_998, Now), Mark("dead", 999_900, Now.AddSeconds(-10.5)) };

        var capped = ReplicaWatermarks.Cap(Now, marks, Now, SilentAfter);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(999_999), capped.To);
        Assert.Equal(["a"], capped.Live);
        Assert.Equal(["dead"], capped.Silent);
    }

    [Fact]
    public void Cap_ReplicaSilentExactlyTheBound_StillHoldsTheCapBack()
    {
        var marks = new[] { Mark("a", 999_998, Now), Mark("slow", 999_990, Now - SilentAfter) };

        var capped = ReplicaWatermarks.Cap(Now, marks, Now, SilentAfter);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(999_991), capped.To);
        Assert.Empty(capped.Silent);
    }

    [Fact]
    public void Cap_NoWatermarkYet_NothingIsJudgeable()
    {
        var capped = ReplicaWatermarks.Cap(Now, [], Now, SilentAfter);

        Assert.Equal(DateTimeOffset.MinValue, capped.To);
    }

    [Fact]
    public void Cap_EveryReplicaSilent_JudgesWhatTheFurthestPublished()
    {
        var marks = new[] { Mark("a", 999_950, Now.AddSeconds(-40)), Mark("b", 999_960, Now.AddSeconds(-30)) };

        var capped = ReplicaWatermarks.Cap(Now, marks, Now, SilentAfter);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(999_961), capped.To);
        Assert.Empty(capped.Live);
        Assert.Equal(["a", "b"], capped.Silent);
    }

    private static ReplicaWatermark Mark(string instance, long through, DateTimeOffset checkedIn) => new(instance, through, checkedIn);
}
