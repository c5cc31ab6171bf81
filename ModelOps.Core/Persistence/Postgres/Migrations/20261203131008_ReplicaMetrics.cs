using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ModelOps.Core.Persistence.Postgres.Migrations
{
    /// <summary>
    /// The tables replicas share serving metrics through (ModelOps.Inference/Cluster). Plain SQL on
    /// purpose: they are read and written by the metrics publisher with COPY and by the judge, never
    /// through EF, so they stay out of the model the SQLite context shares (a single SQLite process has no peers).
    /// </summary>
    public partial class ReplicaMetrics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "ReplicaMetricBuckets" (
                    "Model" text NOT NULL,
                    "Version" integer NOT NULL,
                    "Arm" text NOT NULL,
                    "Region" text NOT NULL,
                    "Second" bigint NOT NULL,
                    "InstanceId" text NOT NULL,
                    "Requests" bigint NOT NULL,
                    "Errors" bigint NOT NULL,
                    "Timeouts" bigint NOT NULL,
                    "Fallbacks" bigint NOT NULL,
                    "KpiSum" double precision NOT NULL,
                    "KpiSumSquares" double precision NOT NULL,
                    "KpiCount" bigint NOT NULL,
                    "LatencySamplesMs" double precision[] NOT NULL,
                    "Segments" text NULL,
                    CONSTRAINT "PK_ReplicaMetricBuckets" PRIMARY KEY ("Model", "Version", "Arm", "Region", "Second", "InstanceId"));
                CREATE INDEX "IX_ReplicaMetricBuckets_Second" ON "ReplicaMetricBuckets" ("Second");
                CREATE TABLE "ReplicaWatermarks" (
                    "InstanceId" text NOT NULL CONSTRAINT "PK_ReplicaWatermarks" PRIMARY KEY,
                    "FlushedThrough" bigint NOT NULL,
                    "CheckedInAt" timestamp with time zone NOT NULL);
                CREATE TABLE "ReplicaTrackedMetrics" (
                    "Model" text NOT NULL,
                    "Kind" text NOT NULL,
                    "Dimension" text NOT NULL,
                    CONSTRAINT "PK_ReplicaTrackedMetrics" PRIMARY KEY ("Model", "Kind", "Dimension"));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TABLE "ReplicaTrackedMetrics";
                DROP TABLE "ReplicaWatermarks";
                DROP TABLE "ReplicaMetricBuckets";
                """);
        }
    }
}
