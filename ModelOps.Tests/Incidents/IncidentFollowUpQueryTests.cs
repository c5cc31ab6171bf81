using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using ModelOps.Core.Audit;
using ModelOps.Core.Incidents;
using ModelOps.Core.Incidents.Samples;
using ModelOps.Core.Persistence;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Incidents;

/// <summary>
/// On a real migrated SQLite file: an incident's follow-up is read without a separate count query
/// when its sample rows are read anyway (one incident in full), and with one for lists.
/// </summary>
public sealed class IncidentFollowUpQueryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private readonly CommandCounter _commands = new();
    private MigratedDatabase _file = null!; // Set in InitializeAsync.

    public async Task InitializeAsync()
    {
        _file = await MigratedDatabase.CreateAsync();
        await using var db = _file.NewContext();
        db.AddRange(Incident("inc-1"), Incident("inc-2"), Sample("inc-1", "r1"), Sample("inc-1", "r2"), Sample("inc-2", "r3"));
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _file.DisposeAsync();

    [Fact]
    public async Task FollowUps_WithSeries_CountsTheRowsItReadsWithoutACountQuery()
    {
        var followUps = await FollowUpsAsync(withSeries: true);

        Assert.Equal(3, _commands.Count); // watches, series buckets, samples
        Assert.Equal((2, 2), (followUps["inc-1"].SampleCount, followUps["inc-1"].Samples!.Count));
        Assert.Equal(1, followUps["inc-2"].SampleCount);
    }

    [Fact]
    public async Task FollowUps_ForAList_CountsSamplesInOneGroupedQuery()
    {
        var followUps = await FollowUpsAsync(withSeries: false);

        Assert.Equal(2, _commands.Count); // watches, sample counts
        Assert.Equal((2, 1), (followUps["inc-1"].SampleCount, followUps["inc-2"].SampleCount));
        Assert.Null(followUps["inc-1"].Samples);
    }

    private async Task<IReadOnlyDictionary<string, IncidentFollowUp>> FollowUpsAsync(bool withSeries)
    {
        await using var db = _file.NewContext(_commands);
        using var gate = new AuditWriteGate();
        var service = new IncidentService(db, new AuditTrail(db, gate, TimeProvider.System), TimeProvider.System);
        var incidents = await db.Set<Incident>().AsNoTracking().ToListAsync();
        _commands.Count = 0;
        return await service.FollowUpsAsync(incidents, withSeries, CancellationToken.None);
    }

    private static Incident Incident(string id) => new()
    {
        Id = id,
        RolloutId = $"ro-{id}",
        Model = "m",
        FromVersion = 2,
        ToVersion = 1,
        TriggerKind = "manual",
        TriggeredBy = "operator",
        TriggerReason = "test",
        EvidenceJson = "{}",
        OpenedAt = Now,
        Status = IncidentStates.Open,
        VerificationStatus = IncidentStates.VerificationPending,
    };

    private static IncidentSample Sample(string incidentId, string requestId) => new()
    {
        IncidentId = incidentId,
        RequestId = requestId,
        At = Now,
        Version = 2,
        Arm = "candidate",
        Status = "ok",
    };

    private sealed class CommandCounter : DbCommandInterceptor
    {
        public int Count { get; set; }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Count++;
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
