using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ModelOps.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class IncidentVerification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "IncidentSeriesBucket",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IncidentId = table.Column<string>(type: "TEXT", nullable: false),
                    Arm = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Seconds = table.Column<int>(type: "INTEGER", nullable: false),
                    Requests = table.Column<long>(type: "INTEGER", nullable: false),
                    Errors = table.Column<long>(type: "INTEGER", nullable: false),
                    Timeouts = table.Column<long>(type: "INTEGER", nullable: false),
                    LatencyP95Ms = table.Column<double>(type: "REAL", nullable: true),
                    LatencyP99Ms = table.Column<double>(type: "REAL", nullable: true),
                    KpiSum = table.Column<double>(type: "REAL", nullable: false),
                    KpiCount = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IncidentSeriesBucket", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "IncidentWatch",
                columns: table => new
                {
                    IncidentId = table.Column<string>(type: "TEXT", nullable: false),
                    Model = table.Column<string>(type: "TEXT", nullable: false),
                    TargetVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    CandidateVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SeriesFrom = table.Column<long>(type: "INTEGER", nullable: false),
                    SeriesThrough = table.Column<long>(type: "INTEGER", nullable: false),
                    WindowSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    BaselineJson = table.Column<string>(type: "TEXT", nullable: true),
                    RoutingAfterJson = table.Column<string>(type: "TEXT", nullable: true),
                    ConcurrencyToken = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IncidentWatch", x => x.IncidentId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IncidentSeriesBucket_IncidentId_Arm_At",
                table: "IncidentSeriesBucket",
                columns: new[] { "IncidentId", "Arm", "At" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IncidentSeriesBucket");

            migrationBuilder.DropTable(
                name: "IncidentWatch");
        }
    }
}
