using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModelOps.Core.Incidents.Verification;

internal sealed class IncidentWatchConfiguration : IEntityTypeConfiguration<IncidentWatch>
{
    public void Configure(EntityTypeBuilder<IncidentWatch> builder)
    {
        builder.HasKey(w => w.IncidentId);
        builder.Property(w => w.ConcurrencyToken).IsConcurrencyToken();
    }
}
