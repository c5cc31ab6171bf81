using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ModelOps.Core.Serving.Calibration;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Serving;

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
