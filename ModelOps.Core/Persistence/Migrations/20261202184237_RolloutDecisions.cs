using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ModelOps.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RolloutDecisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CalibrationSnapshotId",
                table: "Rollout",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DecidedAt",
                table: "Rollout",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "DecisionToRestoreMs",
                table: "Rollout",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "DetectionToRestoreMs",
                table: "Rollout",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "EvaluatedAt",
                table: "Rollout",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FirstFailingAt",
                table: "Rollout",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IncidentId",
                table: "Rollout",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "JudgeJson",
                table: "Rollout",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResumeState",
                table: "Rollout",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RollbackStepIndex",
                table: "Rollout",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Trigger",
                table: "Rollout",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "FlaggedDataset",
                columns: table => new
                {
                    Hash = table.Column<string>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: false),
                    FlaggedBy = table.Column<string>(type: "TEXT", nullable: false),
                    FlaggedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FlaggedDataset", x => x.Hash);
                });

            migrationBuilder.CreateTable(
                name: "Incident",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    RolloutId = table.Column<string>(type: "TEXT", nullable: false),
                    Model = table.Column<string>(type: "TEXT", nullable: false),
                    FromVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    ToVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    FromDigest = table.Column<string>(type: "TEXT", nullable: true),
                    ToDigest = table.Column<string>(type: "TEXT", nullable: true),
                    TriggerKind = table.Column<string>(type: "TEXT", nullable: false),
                    TriggeredBy = table.Column<string>(type: "TEXT", nullable: false),
                    TriggerReason = table.Column<string>(type: "TEXT", nullable: false),
                    EvidenceJson = table.Column<string>(type: "TEXT", nullable: false),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", nullable: false),
                    VerificationStatus = table.Column<string>(type: "TEXT", nullable: false),
                    VerificationCheckedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    VerificationJson = table.Column<string>(type: "TEXT", nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedBy = table.Column<string>(type: "TEXT", nullable: true),
                    RootCause = table.Column<string>(type: "TEXT", nullable: true),
                    ConcurrencyToken = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Incident", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RolloutApproval",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    RolloutId = table.Column<string>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: false),
                    EvidenceJson = table.Column<string>(type: "TEXT", nullable: false),
                    RaisedBy = table.Column<string>(type: "TEXT", nullable: false),
                    RaisedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecisionReason = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RolloutApproval", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Incident_Model_OpenedAt",
                table: "Incident",
                columns: new[] { "Model", "OpenedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Incident_RolloutId",
                table: "Incident",
                column: "RolloutId");

            migrationBuilder.CreateIndex(
                name: "IX_RolloutApproval_RolloutId_Status",
                table: "RolloutApproval",
                columns: new[] { "RolloutId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FlaggedDataset");

            migrationBuilder.DropTable(
                name: "Incident");

            migrationBuilder.DropTable(
                name: "RolloutApproval");

            migrationBuilder.DropColumn(
                name: "CalibrationSnapshotId",
                table: "Rollout");

            migrationBuilder.DropColumn(
                name: "DecidedAt",
                table: "Rollout");

            migrationBuilder.DropColumn(
                name: "DecisionToRestoreMs",
                table: "Rollout");

            migrationBuilder.DropColumn(
                name: "DetectionToRestoreMs",
                table: "Rollout");

            migrationBuilder.DropColumn(
                name: "EvaluatedAt",
                table: "Rollout");

            migrationBuilder.DropColumn(
                name: "FirstFailingAt",
                table: "Rollout");

            migrationBuilder.DropColumn(
                name: "IncidentId",
                table: "Rollout");

            migrationBuilder.DropColumn(
                name: "JudgeJson",
                table: "Rollout");

            migrationBuilder.DropColumn(
                name: "ResumeState",
                table: "Rollout");

            migrationBuilder.DropColumn(
                name: "RollbackStepIndex",
                table: "Rollout");

            migrationBuilder.DropColumn(
                name: "Trigger",
                table: "Rollout");
        }
    }
}
