using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ModelOps.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class IncidentGaps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "GameDayId",
                table: "Incident",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PromotionWatch",
                columns: table => new
                {
                    RolloutId = table.Column<string>(type: "TEXT", nullable: false),
                    Model = table.Column<string>(type: "TEXT", nullable: false),
                    PromotedVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    PreviousVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    PromotedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    WindowSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    BaselineJson = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", nullable: false),
                    CheckedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ResultJson = table.Column<string>(type: "TEXT", nullable: true),
                    IncidentId = table.Column<string>(type: "TEXT", nullable: true),
                    ConcurrencyToken = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PromotionWatch", x => x.RolloutId);
                });

            migrationBuilder.CreateTable(
                name: "ShadowDiffSnapshot",
                columns: table => new
                {
                    RolloutId = table.Column<string>(type: "TEXT", nullable: false),
                    ComputedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReportJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ShadowDiffSnapshot", x => x.RolloutId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PromotionWatch_Status",
                table: "PromotionWatch",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PromotionWatch");

            migrationBuilder.DropTable(
                name: "ShadowDiffSnapshot");

            migrationBuilder.DropColumn(
                name: "GameDayId",
                table: "Incident");
        }
    }
}
