using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModelOps.Core.Incidents.Replay;

internal sealed class ReplayRunConfiguration : IEntityTypeConfiguration<ReplayRun>
{
    public void Configure(EntityTypeBuilder<ReplayRun> builder)
    {
        builder.HasKey(r => r.Id);
        builder.HasIndex(r => new { r.IncidentId, r.QueuedAt });
        builder.HasIndex(r => new { r.Status, r.QueuedAt });
    }
}
