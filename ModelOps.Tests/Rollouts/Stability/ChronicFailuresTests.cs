using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Common;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Stability;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Rollouts.Stability;

/// <summary>Which rollouts count as rollbacks in the anti-flapping period, read from real SQLite rows.</summary>
public sealed class ChronicFailuresTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2025, 6, 2, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly List<ModelOpsDbContext> _contexts = [];
    private MigratedDatabase _file = null!; // Set in InitializeAsync.

    public async Task InitializeAsync() => _file = await MigratedDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var db in _contexts)
        {
            await db.DisposeAsync();
        }

        await _file.DisposeAsync();
    }

    [Fact]
    public async Task All_ThreeRollbacksWithinTheDay_FlagsTheModelSinceTheEarliest()
    {
        await SeedAsync(
            RolloutRows.RolledBack("ctr", Now.AddHours(-23.5), "hard"),
            RolloutRows.RolledBack("ctr", Now.AddHours(-4), "manual"),
            RolloutRows.RolledBack("ctr", Now.AddMinutes(-5), "approvalTimeout"));

        var flags = await AllAsync();

        var flag = Assert.Single(flags).Value;
        Assert.Equal((3, 24, Now.AddHours(-23.5)), (flag.Rollbacks, flag.PeriodHours, flag.Since));
    }

    [Fact]
    public async Task All_OneOfThreeRollbacksJustOutsideThePeriod_NotFlagged()
    {
        await SeedAsync(
            RolloutRows.RolledBack("ctr", Now.AddHours(-24).AddSeconds(-1), "hard"),
            RolloutRows.RolledBack("ctr", Now.AddHours(-4), "hard"),
            RolloutRows.RolledBack("ctr", Now.AddMinutes(-5), "hard"));

        Assert.Empty(await AllAsync());
    }

    [Fact]
    public async Task All_PromotedAbortedAndActiveRollouts_AreNotRollbacks()
    {
        var promoted = RolloutRows.Row("ctr", RolloutStates.Promoted, Now.AddHours(-3));
        promoted.EndedAt = Now.AddHours(-2);
        var aborted = RolloutRows.Row("ctr", RolloutStates.Aborted, Now.AddHours(-2));
        aborted.EndedAt = Now.AddHours(-2);
        await SeedAsync(
            RolloutRows.RolledBack("ctr", Now.AddHours(-4), "hard"),
            RolloutRows.RolledBack("ctr", Now.AddHours(-3), "hard"),
            promoted,
            aborted,
            RolloutRows.Row("ctr", RolloutStates.Paused, Now.AddHours(-1)));

        Assert.Empty(await AllAsync());
    }

    [Fact]
    public async Task OfModel_StagedRollbackUnderWayAndOneDatedOnlyByItsEnd_BothCount()
    {
        var endedOnly = RolloutRows.RolledBack("ctr", Now.AddHours(-2), trigger: null);
        endedOnly.DecidedAt = null;
        await SeedAsync(
            RolloutRows.RolledBack("ctr", Now.AddHours(-3), "hard"),
            endedOnly,
            RolloutRows.RolledBack("ctr", Now.AddMinutes(-1), "hard", RolloutStates.RollingBack));

        var flag = await Chronic(3, 24).OfModelAsync("ctr", CancellationToken.None);

        Assert.Equal(3, flag?.Rollbacks);
    }

    [Fact]
    public async Task OfModel_ConfiguredTwoWithinAnHour_FlagsOnTheSecondRollbackInsideTheHour()
    {
        await SeedAsync(
            RolloutRows.RolledBack("ctr", Now.AddMinutes(-50), "hard"),
            RolloutRows.RolledBack("ctr", Now.AddMinutes(-10), "hard"),
            RolloutRows.RolledBack("churn", Now.AddMinutes(-70), "hard"),
            RolloutRows.RolledBack("churn", Now.AddMinutes(-10), "hard"));
        var chronic = Chronic(2, 1);

        Assert.Equal(2, (await chronic.OfModelAsync("ctr", CancellationToken.None))?.Rollbacks);
        Assert.Null(await chronic.OfModelAsync("churn", CancellationToken.None));
    }

    [Fact]
    public async Task Stability_RegisteredModelWithOneRollback_CountsItUnflagged()
    {
        await using (var db = _file.NewContext())
        {
            db.Add(new RegisteredModel { Name = "ctr", CreatedAt = Now.AddDays(-9), CreatedBy = "operator" });
            db.Add(RolloutRows.RolledBack("ctr", Now.AddHours(-1), "manual"));
            await db.SaveChangesAsync();
        }

        var stability = await Chronic(3, 24).StabilityAsync("ctr", CancellationToken.None);

        Assert.Equal(new ModelStability("ctr", 1, 24, 3, null), stability.Value);
    }

    [Fact]
    public async Task Stability_UnknownModel_NotFound()
    {
        var stability = await Chronic(3, 24).StabilityAsync("nope", CancellationToken.None);

        Assert.Equal(ErrorKind.NotFound, stability.Error?.Kind);
    }

    private ChronicFailures Chronic(int rollbacks, int periodHours)
    {
        var db = _file.NewContext();
        _contexts.Add(db);
        return new ChronicFailures(db, Options.Create(new ChronicFailureOptions { Rollbacks = rollbacks, PeriodHours = periodHours }), _time);
    }

    private Task<IReadOnlyDictionary<string, ChronicFailure>> AllAsync() => Chronic(3, 24).AllAsync(CancellationToken.None);

    private async Task SeedAsync(params Rollout[] rollouts)
    {
        await using var db = _file.NewContext();
        db.AddRange(rollouts);
        await db.SaveChangesAsync();
    }
}
