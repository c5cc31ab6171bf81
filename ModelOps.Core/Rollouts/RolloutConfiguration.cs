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

internal sealed class RolloutApprovalConfiguration : IEntityTypeConfiguration<RolloutApproval>
{
    public void Configure(EntityTypeBuilder<RolloutApproval> builder)
    {
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => new { a.RolloutId, a.Status });
    }
}
