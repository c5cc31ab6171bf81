using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ModelOps.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InferenceLogOwnDatabase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "InferenceFeedback");

            migrationBuilder.DropTable(
                name: "InferenceLog");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "InferenceFeedback",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Arm = table.Column<string>(type: "TEXT", nullable: false),
                    Model = table.Column<string>(type: "TEXT", nullable: false),
                    Outcome = table.Column<double>(type: "REAL", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RequestId = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InferenceFeedback", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "InferenceLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Arm = table.Column<string>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Encoder = table.Column<string>(type: "TEXT", nullable: true),
                    Error = table.Column<string>(type: "TEXT", nullable: true),
                    FeaturesJson = table.Column<string>(type: "TEXT", nullable: true),
                    InputJson = table.Column<string>(type: "TEXT", nullable: true),
                    LatencyMs = table.Column<double>(type: "REAL", nullable: false),
                    Model = table.Column<string>(type: "TEXT", nullable: false),
                    OutputsJson = table.Column<string>(type: "TEXT", nullable: true),
                    Region = table.Column<string>(type: "TEXT", nullable: true),
                    RequestId = table.Column<string>(type: "TEXT", nullable: false),
                    RoutingKey = table.Column<string>(type: "TEXT", nullable: true),
                    Score = table.Column<double>(type: "REAL", nullable: true),
                    Status = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InferenceLog", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_InferenceFeedback_ReceivedAt",
                table: "InferenceFeedback",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_InferenceFeedback_RequestId",
                table: "InferenceFeedback",
                column: "RequestId");

            migrationBuilder.CreateIndex(
                name: "IX_InferenceLog_At",
                table: "InferenceLog",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_InferenceLog_Model_Version_At",
                table: "InferenceLog",
                columns: new[] { "Model", "Version", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_InferenceLog_RequestId",
                table: "InferenceLog",
                column: "RequestId");
        }
    }
}
