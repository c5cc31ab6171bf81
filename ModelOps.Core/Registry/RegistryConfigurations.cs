using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModelOps.Core.Registry;

internal sealed class RegisteredModelConfiguration : IEntityTypeConfiguration<RegisteredModel>
{
    public void Configure(EntityTypeBuilder<RegisteredModel> builder)
    {
        builder.HasKey(m => m.Name);
        builder.Property(m => m.Name).HasMaxLength(64);
    }
}

internal sealed class ModelVersionConfiguration : IEntityTypeConfiguration<ModelVersion>
{
    public void Configure(EntityTypeBuilder<ModelVersion> builder)
    {
        builder.HasIndex(v => new { v.Model, v.Version }).IsUnique();
        builder.HasIndex(v => new { v.Model, v.Digest }).IsUnique();
        builder.Property(v => v.Digest).HasMaxLength(71);
    }
}

internal sealed class ModelAliasConfiguration : IEntityTypeConfiguration<ModelAlias>
{
    public void Configure(EntityTypeBuilder<ModelAlias> builder) => builder.HasKey(a => new { a.Model, a.Alias });
}

internal sealed class AliasMoveConfiguration : IEntityTypeConfiguration<AliasMove>
{
    public void Configure(EntityTypeBuilder<AliasMove> builder) => builder.HasIndex(a => new { a.Model, a.Alias });
}

internal sealed class FeatureEncoderVersionConfiguration : IEntityTypeConfiguration<FeatureEncoderVersion>
{
    public void Configure(EntityTypeBuilder<FeatureEncoderVersion> builder) => builder.HasKey(e => new { e.Name, e.Version });
}

internal sealed class FlaggedDatasetConfiguration : IEntityTypeConfiguration<FlaggedDataset>
{
    public void Configure(EntityTypeBuilder<FlaggedDataset> builder) => builder.HasKey(d => d.Hash);
}
