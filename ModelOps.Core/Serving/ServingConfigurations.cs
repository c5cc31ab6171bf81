using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ModelOps.Core.Serving.Calibration;
using ModelOps.Core.Serving.Log;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Serving;

internal sealed class InferenceLogEntryConfiguration : IEntityTypeConfiguration<InferenceLogEntry>
{
    public void Configure(EntityTypeBuilder<InferenceLogEntry> builder)
    {
        builder.ToTable("InferenceLog");
        builder.HasIndex(e => e.RequestId);
        builder.HasIndex(e => e.At);
        builder.HasIndex(e => new { e.Model, e.Version, e.At });
    }
}

internal sealed class InferenceFeedbackConfiguration : IEntityTypeConfiguration<InferenceFeedback>
{
    public void Configure(EntityTypeBuilder<InferenceFeedback> builder)
    {
        builder.HasIndex(f => f.RequestId);
        builder.HasIndex(f => f.ReceivedAt);
    }
}

internal sealed class RoutingTableRecordConfiguration : IEntityTypeConfiguration<RoutingTableRecord>
{
    public void Configure(EntityTypeBuilder<RoutingTableRecord> builder) => builder.HasKey(r => r.Model);
}

internal sealed class CalibrationSnapshotConfiguration : IEntityTypeConfiguration<CalibrationSnapshot>
{
    public void Configure(EntityTypeBuilder<CalibrationSnapshot> builder)
    {
        builder.HasKey(s => s.Id);
        builder.HasIndex(s => new { s.Model, s.Version });
    }
}
