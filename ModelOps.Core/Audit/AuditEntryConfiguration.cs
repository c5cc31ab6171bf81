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
        builder.Property(e => e.Actor).HasMaxLength(AuditEntry.ActorMaxLength);
        builder.Property(e => e.Action).HasMaxLength(AuditEntry.ActionMaxLength);
        builder.Property(e => e.Target).HasMaxLength(AuditEntry.TargetMaxLength);
        builder.Property(e => e.Model).HasMaxLength(AuditEntry.ModelMaxLength);
        builder.Property(e => e.PrevHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
        builder.HasIndex(e => e.At);
        builder.HasIndex(e => e.Model);
        builder.HasIndex(e => e.Actor);
        builder.HasIndex(e => e.Action);
    }
}
