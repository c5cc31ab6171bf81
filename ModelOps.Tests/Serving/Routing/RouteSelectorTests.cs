using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Routing;

namespace ModelOps.Tests.Serving.Routing;

public sealed class RouteSelectorTests
{
    // Tolerances below are 5 standard errors of a binomial proportion, sqrt(p(1-p)/n): a correct
    // router fails with probability < 1e-6, and with fixed seeds/keys the tests are deterministic.
    private const double Z = 5;

    [Theory]
    [InlineData(5.0)]
    [InlineData(25.0)]
    [InlineData(50.0)]
    public void Select_RandomDraws_CandidateShareConvergesToWeight(double percent)
    {
        var table = RoutingTable.Canary("churn", 1, 2, percent, 1).Value!;
        var random = new Random(12345);
        const int n = 100_000;

        var candidate = 0;
        for (var i = 0; i < n; i++)
        {
            var decision = RouteSelector.Select(table, null, null, random.NextDouble(), random.NextDouble());
            candidate += decision.Arm == Arm.Candidate ? 1 : 0;
        }

        AssertProportion(percent / 100, candidate, n);
    }

    [Fact]
    public void Select_RegionOverrideAtZeroPercent_NeverRoutesToCandidate()
    {
        var regions = new Dictionary<string, IReadOnlyList<RouteWeight>>
        {
            ["eu-west"] = [new RouteWeight(1, 100), new RouteWeight(2, 0)],
        };
        var table = RoutingTable.Create(
            "churn", 1, [new RouteWeight(1, 75), new RouteWeight(2, 25)], regions, baselineVersion: 1, candidateVersion: 2).Value!;
        var random = new Random(7);

        for (var i = 0; i < 50_000; i++)
        {
            var draw = i == 0 ? Math.BitDecrement(1.0) : random.NextDouble();
            var decision = RouteSelector.Select(table, i % 2 == 0 ? null : $"user-{i}", "EU-WEST", draw, 0);
            Assert.Equal(1, decision.Version);
        }
    }

    [Fact]
    public void Select_RegionWithoutOverride_UsesDefaultWeights()
    {
        var regions = new Dictionary<string, IReadOnlyList<RouteWeight>> { ["eu"] = [new RouteWeight(1, 100)] };
        var table = RoutingTable.Create(
            "churn", 1, [new RouteWeight(1, 75), new RouteWeight(2, 25)], regions, baselineVersion: 1, candidateVersion: 2).Value!;

        var decision = RouteSelector.Select(table, null, "us-east", 0.9, 0);

        Assert.Equal(new RouteDecision(2, Arm.Candidate, false, null), decision);
    }

    [Fact]
    public void Select_SameKeyRepeatedWithDifferentDraws_AlwaysSameVersion()
    {
        var table = RoutingTable.Canary("churn", 1, 2, 50, 1).Value!;
        var random = new Random(99);

        for (var k = 0; k < 200; k++)
        {
            var key = $"user-{k}";
            var first = RouteSelector.Select(table, key, null, random.NextDouble(), random.NextDouble());
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(first, RouteSelector.Select(table, key, null, random.NextDouble(), random.NextDouble()));
            }
        }
    }

    [Fact]
    public void Select_ManySequentialKeys_CandidateShareConvergesToWeight()
    {
        var table = RoutingTable.Canary("churn", 1, 2, 25, 1).Value!;
        const int n = 40_000;

        var candidate = Enumerable.Range(0, n).Count(i => RouteSelector.Select(table, $"user-{i}", null, 0, 0).Arm == Arm.Candidate);

        AssertProportion(0.25, candidate, n);
    }

    [Fact]
    public void Select_CanaryWidened_KeysOnCandidateStayOnCandidate()
    {
        var narrow = RoutingTable.Canary("churn", 1, 2, 5, 1).Value!;
        var wide = RoutingTable.Canary("churn", 1, 2, 25, 2).Value!;

        for (var i = 0; i < 20_000; i++)
        {
            var key = $"user-{i}";
            if (RouteSelector.Select(narrow, key, null, 0, 0).Arm == Arm.Candidate)
            {
                Assert.Equal(Arm.Candidate, RouteSelector.Select(wide, key, null, 0, 0).Arm);
            }
        }
    }

    [Fact]
    public void Select_ShadowWithKeys_MirrorShareIsIndependentOfArm()
    {
        var table = RoutingTable.Create(
            "churn", 1, [new RouteWeight(1, 50), new RouteWeight(2, 50)], shadow: new ShadowMirror(3, 0.2), baselineVersion: 1, candidateVersion: 2).Value!;
        const int n = 40_000;

        var decisions = Enumerable.Range(0, n).Select(i => RouteSelector.Select(table, $"k{i}", null, 0, 0)).ToList();

        foreach (var arm in new[] { Arm.Baseline, Arm.Candidate })
        {
            var inArm = decisions.Where(d => d.Arm == arm).ToList();
            AssertProportion(0.2, inArm.Count(d => d.Mirror), inArm.Count);
        }

        Assert.All(decisions.Where(d => d.Mirror), d => Assert.Equal(3, d.MirrorVersion));
    }

    [Fact]
    public void Select_ShadowVersionIsTheRoutedVersion_DoesNotMirror()
    {
        var table = RoutingTable.Create("churn", 1, [new RouteWeight(1, 100)], shadow: new ShadowMirror(1, 1)).Value!;

        var decision = RouteSelector.Select(table, null, null, 0.5, 0.5);

        Assert.False(decision.Mirror);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.01)]
    [InlineData(double.NaN)]
    public void Select_DrawOutsideUnitInterval_Throws(double draw)
    {
        var table = RoutingTable.Single("churn", 1, 1).Value!;

        Assert.Throws<ArgumentOutOfRangeException>(() => RouteSelector.Select(table, null, null, draw, 0));
    }

    private static void AssertProportion(double expected, int hits, int n)
    {
        var tolerance = Z * Math.Sqrt(expected * (1 - expected) / n);
        var observed = (double)hits / n;
        Assert.InRange(observed, expected - tolerance, expected + tolerance);
    }
}
