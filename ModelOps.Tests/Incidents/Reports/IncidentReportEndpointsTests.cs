using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ModelOps.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ModelOps.Tests.Incidents.Reports;

/// <summary><c>GET /api/incidents/{id}/report</c> on the incident of a real automatic rollback.</summary>
[Collection(RolledBackIncidentCollection.Name)]
public sealed partial class IncidentReportEndpointsTests(RolledBackIncidentFixture scenario, ITestOutputHelper output)
{
    [Fact]
    public async Task Report_Markdown_SaysWhyWhatWhenWithAnSvgChart()
    {
        var incident = await scenario.IncidentAsync();

        var (response, text) = await GetAsync(scenario.Reviewer, $"/api/incidents/{scenario.IncidentId}/report");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/markdown", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains(incident.GetProperty("trigger").GetProperty("reason").GetString()!, text, StringComparison.Ordinal);
        Assert.Contains("| metric | status | baseline | candidate | threshold / limit |", text, StringComparison.Ordinal);
        Assert.Matches(@"\| latency_p95 \| fail \|", text);
        var actions = Actions(incident);
        Assert.Contains("rollout.started", actions);
        Assert.Contains("incident.verified", actions);
        Assert.All(actions, action => Assert.Contains($"| {action} |", text, StringComparison.Ordinal));
        var image = DataImage().Match(text);
        Assert.True(image.Success, "a chart is embedded as a data: SVG image");
        Assert.Contains("<svg", Encoding.UTF8.GetString(Convert.FromBase64String(image.Groups[1].Value)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_Html_IsSelfContainedWithInlineSvg()
    {
        var incident = await scenario.IncidentAsync();

        var (response, html) = await GetAsync(scenario.Reviewer, $"/api/incidents/{scenario.IncidentId}/report?format=html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(incident.GetProperty("trigger").GetProperty("reason").GetString()!), html, StringComparison.Ordinal);
        Assert.Contains("<th>p-value</th>", html, StringComparison.Ordinal);
        Assert.All(Actions(incident), action => Assert.Contains($"<td>{action}</td>", html, StringComparison.Ordinal));
        Assert.DoesNotMatch(ExternalResource(), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Report_RenderTime_IsMeasured()
    {
        var times = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            var (response, html) = await GetAsync(scenario.Reviewer, $"/api/incidents/{scenario.IncidentId}/report?format={(i % 2 == 0 ? "html" : "md")}");
            watch.Stop();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            times.Add(watch.ElapsedMilliseconds);
            output.WriteLine($"report round trip {watch.ElapsedMilliseconds} ms, {html.Length} chars");
        }

        Assert.True(times.Max() < 10_000, $"a report took {times.Max()} ms");
    }

    [Fact]
    public async Task Report_FormatPdf_400NamingFormat()
    {
        using var response = await scenario.Reviewer.GetAsync(new Uri($"/api/incidents/{scenario.IncidentId}/report?format=pdf", UriKind.Relative));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("format", problem.GetProperty("field").GetString());
        Assert.Contains("format=html", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_UnknownIncident_404()
    {
        using var response = await scenario.Reviewer.GetAsync(new Uri("/api/incidents/inc-missing/report", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Report_WithoutToken_401()
    {
        using var anonymous = scenario.App.Factory.CreateClient();

        using var response = await anonymous.GetAsync(new Uri($"/api/incidents/{scenario.IncidentId}/report", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static List<string> Actions(System.Text.Json.JsonElement incident) =>
        [.. incident.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("action").GetString()!)];

    private static async Task<(HttpResponseMessage Response, string Text)> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        return (response, await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex(@"!\[[^\]]*\]\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)")]
    private static partial Regex DataImage();

    /// <summary>A src or href that fetches from elsewhere (SVG's own xmlns declarations are not fetched).</summary>
    [GeneratedRegex(@"(src|href)\s*=\s*[""']?(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalResource();
}
