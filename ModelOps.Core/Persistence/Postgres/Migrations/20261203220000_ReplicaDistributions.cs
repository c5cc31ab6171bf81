using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ModelOps.Core.Persistence.Postgres.Migrations
{
    /// <summary>
    /// Each published bucket also carries the second's served-score bins and feature histograms
    /// (JSON), so the judge's null_rate, drift_psi and score_psi see every replica's traffic. Plain
    /// SQL like <see cref="ReplicaMetrics"/>: the tables are outside the EF model.
    /// </summary>
    [DbContext(typeof(PostgresModelOpsDbContext))]
    [Migration("20261203220000_ReplicaDistributions")]
    public partial class ReplicaDistributions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE "ReplicaMetricBuckets" ADD COLUMN "ScoreBins" bigint[] NULL, ADD COLUMN "Features" text NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE "ReplicaMetricBuckets" DROP COLUMN "Features", DROP COLUMN "ScoreBins";
                """);
        }
    }
}
