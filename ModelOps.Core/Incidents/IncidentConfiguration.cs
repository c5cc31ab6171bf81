using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModelOps.Core.Incidents;

internal sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> builder)
    {
        builder.HasKey(i => i.Id);
        builder.Property(i => i.ConcurrencyToken).IsConcurrencyToken();
        builder.HasIndex(i => i.RolloutId);
        builder.Ignore(i => i.Drill);
        builder.HasIndex(i => new { i.Model, i.OpenedAt });
    }
}
