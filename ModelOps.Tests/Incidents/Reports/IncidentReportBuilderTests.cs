using System.Text;
using System.Text.Json;
using ModelOps.Core.Incidents;
using ModelOps.Core.Incidents.Series;
using ModelOps.Web.Incidents;
using ModelOps.Web.Incidents.Reports;

namespace ModelOps.Tests.Incidents.Reports;

/// <summary>The pure parts of the report: building the document and the charts from a hand-made incident and series.</summary>
public sealed class IncidentReportBuilderTests
{
    private static readonly DateTimeOffset Decided = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Charts_TwoArmsOverTheDecision_DrawOneSvgPerMetricWithBothArms()
    {
        var charts = IncidentReportCharts.Build(Buckets(), Decided, (Decided.AddSeconds(10), Decided.AddSeconds(30)));

        Assert.Equal(3, charts.Count);
        Assert.All(charts, c => Assert.StartsWith("<svg", c.Svg, StringComparison.Ordinal));
        Assert.All(charts, c => Assert.Contains("baseline v2", c.Svg, StringComparison.Ordinal));
        Assert.All(charts, c => Assert.Contains("candidate v3", c.Svg, StringComparison.Ordinal));
        Assert.All(charts, c => Assert.Contains("verification window", c.Svg, StringComparison.Ordinal));
    }

    [Fact]
    public void Charts_NoKpiOutcomesReported_NoKpiChart()
    {
        var buckets = Buckets();
        buckets.ForEach(b => (b.KpiSum, b.KpiCount) = (0, 0));

        var charts = IncidentReportCharts.Build(buckets, Decided, null);

        Assert.Equal(["Latency p95 per arm", "Error rate per arm"], charts.Select(c => c.Caption.Split(';')[0]));
    }

    [Fact]
    public void Charts_NoSeries_NoCharts()
    {
        Assert.Empty(IncidentReportCharts.Build([], Decided, null));
    }

    [Fact]
    public void Build_Verdicts_OneRowPerVerdictWithBoundIntervalAndBreach()
    {
        var document = IncidentReportBuilder.Build(View(Evidence(replay: null)), Buckets());

        var table = Table(document, "metric");
        var row = Assert.Single(table.Rows);
        Assert.Equal(["latency_p95", "fail", "40", "180", "limit 100", "140", "[120, 160]", "0.001", "2026-12-01 09:59:50Z"], row.Take(9));
    }

    [Fact]
    public void Build_WithReplay_AddsTheReplaySectionReadGenerically()
    {
        var document = IncidentReportBuilder.Build(View(Evidence(replay: new { status = "done", rows = 1200, flipShare = 0.031 })), Buckets());

        Assert.Contains(document.Blocks, b => b is ReportBlock.Heading { Text: "Replay through the rollback target" });
        Assert.Contains(["flipShare", "0.031"], Table(document, "field").Rows);
    }

    [Fact]
    public void Build_WithoutReplay_HasNoReplaySection()
    {
        var document = IncidentReportBuilder.Build(View(Evidence(replay: null)), Buckets());

        Assert.DoesNotContain(document.Blocks, b => b is ReportBlock.Heading { Text: "Replay through the rollback target" });
    }

    [Fact]
    public void Markdown_TableCellWithPipe_IsEscapedAndChartsAreDataImages()
    {
        var document = new ReportDocument("t", [new ReportBlock.Table(["a"], [["x|y"]]), new ReportBlock.Chart("c", "<svg></svg>")]);

        var md = MarkdownReportWriter.Write(document);

        Assert.Contains("| x\\|y |", md, StringComparison.Ordinal);
        Assert.Contains($"![c](data:image/svg+xml;base64,{Convert.ToBase64String(Encoding.UTF8.GetBytes("<svg></svg>"))})", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_TextWithMarkup_IsEncoded()
    {
        var html = HtmlReportWriter.Write(new ReportDocument("t", [new ReportBlock.Paragraph("<script>alert(1)</script>")]));

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    private static ReportBlock.Table Table(ReportDocument document, string firstHeader) =>
        document.Blocks.OfType<ReportBlock.Table>().First(t => t.Headers[0] == firstHeader);

    private static List<IncidentSeriesBucket> Buckets() =>
    [
        .. Enumerable.Range(-6, 6).Select(i => Bucket("candidate", 3, Decided.AddSeconds(i * 5), p95: 180, errors: 2)),
        .. Enumerable.Range(-6, 12).Select(i => Bucket("baseline", 2, Decided.AddSeconds(i * 5), p95: 40, errors: 0)),
    ];

    private static IncidentSeriesBucket Bucket(string arm, int version, DateTimeOffset at, double p95, long errors) => new()
    {
        IncidentId = "inc-1",
        Arm = arm,
        Version = version,
        At = at,
        Seconds = 5,
        Requests = 100,
        Errors = errors,
        LatencyP95Ms = p95,
        LatencyP99Ms = p95 * 1.2,
        KpiSum = 4,
        KpiCount = 80,
    };

    private static string Evidence(object? replay) => JsonSerializer.Serialize(new
    {
        verdicts = new[]
        {
            new { metric = "latency_p95", status = "fail", baseline = 40.0, candidate = 180.0, threshold = (double?)null, limit = 100.0, effect = 140.0, ciLow = 120.0, ciHigh = 160.0, pValue = 0.001, breachedSince = "2026-12-01T09:59:50+00:00", reason = "p95 above limit" },
        },
        artifacts = new { candidateDigest = "sha256:c", targetDigest = "sha256:t" },
        replay,
    }, JsonSerializerOptions.Web);

    private static IncidentView View(string evidence) => IncidentView.From(
        new Incident
        {
            Id = "inc-1",
            RolloutId = "ro-1",
            Model = "ctr-ranker",
            FromVersion = 3,
            ToVersion = 2,
            TriggerKind = "hard",
            TriggeredBy = "modelops-judge",
            TriggerReason = "latency_p95 above its limit",
            EvidenceJson = evidence,
            OpenedAt = Decided,
            Status = IncidentStates.Open,
            VerificationStatus = IncidentStates.VerificationPending,
        },
        [],
        IncidentFollowUp.None);
}
