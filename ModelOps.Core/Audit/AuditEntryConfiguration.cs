using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModelOps.Core.Audit;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditLog");
        builder.HasKey(e => e.Seq);
        // Sequence numbers are assigned under the write gate so they are gap-free.
        builder.Property(e => e.Seq).ValueGeneratedNever();
        builder.Property(e => e.Actor).HasMaxLength(256);
        builder.Property(e => e.Action).HasMaxLength(128);
        builder.Property(e => e.Target).HasMaxLength(512);
        builder.Property(e => e.Model).HasMaxLength(128);
        builder.Property(e => e.PrevHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
        builder.HasIndex(e => e.At);
        builder.HasIndex(e => e.Model);
        builder.HasIndex(e => e.Actor);
        builder.HasIndex(e => e.Action);
    }
}
