using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModelOps.Core.Rollouts.Shadow;

internal sealed class ShadowDiffSnapshotConfiguration : IEntityTypeConfiguration<ShadowDiffSnapshot>
{
    public void Configure(EntityTypeBuilder<ShadowDiffSnapshot> builder) => builder.HasKey(s => s.RolloutId);
}
