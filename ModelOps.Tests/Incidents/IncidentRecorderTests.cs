using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Incidents;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Incidents;

/// <summary>On a real migrated SQLite file: what opening an incident freezes, and which encoders it retires.</summary>
public sealed class IncidentRecorderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private MigratedDatabase _database = null!; // Set in InitializeAsync.

    public async Task InitializeAsync()
    {
        _database = await MigratedDatabase.CreateAsync();
        await using var db = _database.NewContext();
        db.AddRange(
            Encoder("clicks", 1), Encoder("clicks", 2), Encoder("clicks", 3),
            Version(1, "clicks", 1), Version(2, "clicks", 2), Version(3, "clicks", 3), Version(4, "clicks", 2),
            new RegisteredModel { Name = "m", CreatedAt = Now, CreatedBy = "test" },
            new ModelAlias { Model = "m", Alias = "champion", Version = 1 });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Open_CandidateWithAnEncoderNoLiveVersionShares_FreezesItAndRetiresTheEncoder()
    {
        var incident = await OpenAsync(candidate: 3, target: 1);

        await using var db = _database.NewContext();
        Assert.Equal(incident.Id, (await db.Set<ModelVersion>().SingleAsync(v => v.Version == 3)).FrozenByIncident);
        Assert.Equal(incident.Id, (await db.Set<FeatureEncoderVersion>().SingleAsync(e => e.Version == 3)).RetiredByIncident);
        Assert.Null((await db.Set<FeatureEncoderVersion>().SingleAsync(e => e.Version == 1)).RetiredByIncident);
    }

    [Fact]
    public async Task Open_CandidateSharingItsEncoderWithTheRollbackTarget_KeepsTheEncoderReusable()
    {
        await OpenAsync(candidate: 4, target: 2);

        await using var db = _database.NewContext();
        Assert.Null((await db.Set<FeatureEncoderVersion>().SingleAsync(e => e.Version == 2)).RetiredByIncident);
        Assert.NotNull((await db.Set<ModelVersion>().SingleAsync(v => v.Version == 4)).FrozenByIncident);
    }

    private async Task<Incident> OpenAsync(int candidate, int target)
    {
        await using var db = _database.NewContext();
        var rollout = new Rollout
        {
            Id = "ro-1",
            Model = "m",
            CandidateVersion = candidate,
            BaselineVersion = target,
            Strategy = "Canary",
            State = RolloutStates.Progressing,
            PlanJson = "{}",
            Owner = "team",
            StartedBy = "operator",
            StartedAt = Now,
        };
        var incident = await new IncidentRecorder(db).OpenAsync(rollout, new RollbackTrigger(RollbackTrigger.Kinds.Manual, "operator", "test"), null, Now, CancellationToken.None);
        await db.SaveChangesAsync();
        return incident;
    }

    private static FeatureEncoderVersion Encoder(string name, int version) =>
        new() { Name = name, Version = version, SpecJson = "{}", OutputWidth = 4, CreatedAt = Now, CreatedBy = "test" };

    private static ModelVersion Version(int version, string encoder, int encoderVersion) => new()
    {
        Model = "m",
        Version = version,
        Digest = $"sha256:{version:D64}",
        MetricsJson = "{}",
        InputsJson = "[]",
        OutputsJson = "[]",
        EncoderName = encoder,
        EncoderVersion = encoderVersion,
        CreatedAt = Now,
        CreatedBy = "test",
    };
}
