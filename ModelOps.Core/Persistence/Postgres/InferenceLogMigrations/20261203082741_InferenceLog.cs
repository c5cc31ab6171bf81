using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ModelOps.Core.Persistence.Postgres.InferenceLogMigrations
{
    /// <inheritdoc />
    public partial class InferenceLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "InferenceFeedback",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RequestId = table.Column<string>(type: "text", nullable: false),
                    Model = table.Column<string>(type: "text", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Arm = table.Column<string>(type: "text", nullable: false),
                    Outcome = table.Column<double>(type: "double precision", nullable: false),
                    ReceivedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InferenceFeedback", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "InferenceLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RequestId = table.Column<string>(type: "text", nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    Model = table.Column<string>(type: "text", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Encoder = table.Column<string>(type: "text", nullable: true),
                    Arm = table.Column<string>(type: "text", nullable: false),
                    RoutingKey = table.Column<string>(type: "text", nullable: true),
                    Region = table.Column<string>(type: "text", nullable: true),
                    FeaturesJson = table.Column<string>(type: "text", nullable: true),
                    InputJson = table.Column<string>(type: "text", nullable: true),
                    OutputsJson = table.Column<string>(type: "text", nullable: true),
                    Score = table.Column<double>(type: "double precision", nullable: true),
                    LatencyMs = table.Column<double>(type: "double precision", nullable: false),
                    Status = table.Column<string>(type: "text", nullable: false),
                    Error = table.Column<string>(type: "text", nullable: true)
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

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "InferenceFeedback");

            migrationBuilder.DropTable(
                name: "InferenceLog");
        }
    }
}
