using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModelOps.Core.Incidents.Verification;

internal sealed class PromotionWatchConfiguration : IEntityTypeConfiguration<PromotionWatch>
{
    public void Configure(EntityTypeBuilder<PromotionWatch> builder)
    {
        builder.HasKey(w => w.RolloutId);
        builder.HasIndex(w => w.Status);
        builder.Property(w => w.ConcurrencyToken).IsConcurrencyToken();
    }
}
