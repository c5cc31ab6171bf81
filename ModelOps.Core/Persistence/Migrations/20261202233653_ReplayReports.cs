using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ModelOps.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ReplayReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "DecisionThreshold",
                table: "ModelVersion",
                type: "REAL",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ReplayRun",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    IncidentId = table.Column<string>(type: "TEXT", nullable: false),
                    Model = table.Column<string>(type: "TEXT", nullable: false),
                    CandidateVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    TargetVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    From = table.Column<long>(type: "INTEGER", nullable: false),
                    To = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", nullable: false),
                    RowsDone = table.Column<int>(type: "INTEGER", nullable: false),
                    RowsTotal = table.Column<int>(type: "INTEGER", nullable: true),
                    QueuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    QueuedBy = table.Column<string>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CancelRequestedBy = table.Column<string>(type: "TEXT", nullable: true),
                    ReportJson = table.Column<string>(type: "TEXT", nullable: true),
                    Error = table.Column<string>(type: "TEXT", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReplayRun", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ReplayRun_IncidentId_QueuedAt",
                table: "ReplayRun",
                columns: new[] { "IncidentId", "QueuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ReplayRun_Status_QueuedAt",
                table: "ReplayRun",
                columns: new[] { "Status", "QueuedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ReplayRun");

            migrationBuilder.DropColumn(
                name: "DecisionThreshold",
                table: "ModelVersion");
        }
    }
}
