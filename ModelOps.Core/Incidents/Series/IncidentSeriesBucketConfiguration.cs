using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModelOps.Core.Incidents.Series;

internal sealed class IncidentSeriesBucketConfiguration : IEntityTypeConfiguration<IncidentSeriesBucket>
{
    public void Configure(EntityTypeBuilder<IncidentSeriesBucket> builder)
    {
        builder.HasKey(b => b.Id);

        // One row per incident, arm and bucket: an append that raced another cannot double a bucket.
        builder.HasIndex(b => new { b.IncidentId, b.Arm, b.At }).IsUnique();
    }
}
