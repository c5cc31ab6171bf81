using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Benchmarks.Dashboards;

/// <summary>
/// <c>dashboards</c>: the built app as a child process with the simulator sending traffic and an
/// active canary; server CPU and working set with no dashboard, then with N (default 10) Chromium
/// contexts on the dashboard; the time from a rollback (API call) to every dashboard showing it;
/// and the feed's own tick and chart-render times (GET /api/console/dashboard/cost). Figures, not a
/// test: run it on a quiet machine and report the load (uptime) beside them.
/// </summary>
public static class DashboardsHarness
{
    public const string Command = "dashboards";

    private const string StateScript = "() => document.querySelector('[data-testid=panel-ctr-ranker] [data-testid=rollout-state]')?.textContent.trim() === 'rolledBack'";

    public static async Task RunAsync(string[] options)
    {
        var count = options is [var n, ..] ? int.Parse(n, CultureInfo.InvariantCulture) : 10;
        await using var app = await WebAppProcess.StartAsync(TimeSpan.FromSeconds(90), new Dictionary<string, string?>
        {
            ["ModelOps:Simulator:Enabled"] = "true",
            ["ModelOps:Simulator:RequestsPerSecond"] = "50",
            ["ModelOps:Gates:IntervalSeconds"] = "1",
        });
        using var api = new HttpClient { BaseAddress = app.BaseAddress };
        var token = (await (await api.PostAsJsonAsync("/api/auth/token", new { username = "operator", password = "modelops-demo" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var started = await api.PostAsJsonAsync("/api/rollouts", new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            steps = new[] { new { weight = 20.0, bakeSeconds = 3600 } },
            guardrails = new object[] { new { metric = "latency_p95", threshold = 5.0, windowSeconds = 60, sustainSeconds = 30, severity = "hard" } },
        });
        started.EnsureSuccessStatusCode();
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await Task.Delay(TimeSpan.FromSeconds(10));

        var (idleCpu, idleRss) = await SampleAsync(app.ProcessId, TimeSpan.FromSeconds(15));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var pages = new List<IPage>();
        for (var i = 0; i < count; i++)
        {
            pages.Add(await OpenDashboardAsync(browser, app.BaseAddress.ToString().TrimEnd('/')));
        }

        await Task.Delay(TimeSpan.FromSeconds(5));
        var (openCpu, openRss) = await SampleAsync(app.ProcessId, TimeSpan.FromSeconds(20));
        var costs = new List<JsonElement>();
        for (var i = 0; i < 10; i++)
        {
            costs.Add(await api.GetFromJsonAsync<JsonElement>("/api/console/dashboard/cost"));
            await Task.Delay(1_100);
        }

        var clock = Stopwatch.StartNew();
        var shown = pages.Select(async page =>
        {
            await page.WaitForFunctionAsync(StateScript, null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            return clock.Elapsed.TotalMilliseconds;
        }).ToList();
        using var rollback = await api.PostAsJsonAsync($"/api/rollouts/{id}/rollback", new { reason = "dashboards harness" });
        var apiMs = clock.Elapsed.TotalMilliseconds;
        rollback.EnsureSuccessStatusCode();
        var times = (await Task.WhenAll(shown)).Order().ToArray();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            dashboards harness: {count} Chromium contexts on / of an active 20 % canary (simulator 50 req/s, gates every 1 s), 2 cores
            server CPU, no dashboard open:   {idleCpu:0.0} % of one core   working set {idleRss / 1048576.0:0} MiB
            server CPU, {count} dashboards open: {openCpu:0.0} % of one core   working set {openRss / 1048576.0:0} MiB
            feed tick (read + render), ms:   median {Median(costs.Select(c => c.GetProperty("tickMs").GetDouble())):0.0}  max {costs.Max(c => c.GetProperty("tickMs").GetDouble()):0.0}
            chart render (4 SVGs), ms:       median {Median(costs.Select(c => c.GetProperty("chartRenderMs").GetDouble())):0.0}  max {costs.Max(c => c.GetProperty("chartRenderMs").GetDouble()):0.0}  subscribers {costs[^1].GetProperty("subscribers").GetInt32()}
            rollback API call returned:      {apiMs:0} ms
            rollback shown on dashboards:    median {times[times.Length / 2]:0} ms  max {times[^1]:0} ms (from the call, all {times.Length} pages)
            """));
        foreach (var page in pages)
        {
            await page.Context.CloseAsync();
        }
    }

    private static async Task<IPage> OpenDashboardAsync(IBrowser browser, string baseUrl)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1200 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{baseUrl}/", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await page.FillAsync("#username", "operator");
        await page.FillAsync("#password", "modelops-demo");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{baseUrl}/");
        await page.Locator("[data-testid=panel-ctr-ranker] [data-testid=chart-latency] svg").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        return page;
    }

    /// <summary>CPU (% of one core) from /proc/{pid}/stat over <paramref name="period"/>, and the resident set at its end.</summary>
    private static async Task<(double CpuPercent, long RssBytes)> SampleAsync(int pid, TimeSpan period)
    {
        var before = CpuTicks(pid);
        var clock = Stopwatch.StartNew();
        await Task.Delay(period);
        var ticks = CpuTicks(pid) - before;
        var rss = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kb = long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        // USER_HZ is 100 on Linux.
        return (ticks / 100.0 / clock.Elapsed.TotalSeconds * 100, kb * 1024);
    }

    private static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
