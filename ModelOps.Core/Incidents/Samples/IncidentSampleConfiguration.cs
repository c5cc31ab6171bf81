using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModelOps.Core.Incidents.Samples;

internal sealed class IncidentSampleConfiguration : IEntityTypeConfiguration<IncidentSample>
{
    public void Configure(EntityTypeBuilder<IncidentSample> builder)
    {
        builder.HasKey(s => s.Id);
        builder.HasIndex(s => new { s.IncidentId, s.At });
    }
}
