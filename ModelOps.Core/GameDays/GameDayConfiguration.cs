using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModelOps.Core.GameDays;

internal sealed class GameDayConfiguration : IEntityTypeConfiguration<GameDay>
{
    public void Configure(EntityTypeBuilder<GameDay> builder)
    {
        builder.HasKey(g => g.Id);
        builder.HasIndex(g => g.State);
        builder.HasIndex(g => new { g.Model, g.StartedAt });
    }
}
