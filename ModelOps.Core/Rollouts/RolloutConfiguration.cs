using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModelOps.Core.Rollouts;

internal sealed class RolloutConfiguration : IEntityTypeConfiguration<Rollout>
{
    public void Configure(EntityTypeBuilder<Rollout> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.ConcurrencyToken).IsConcurrencyToken();
        builder.HasIndex(r => new { r.Model, r.State });
    }
}
