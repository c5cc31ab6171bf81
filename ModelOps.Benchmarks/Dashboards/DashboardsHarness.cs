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

    private const string ObserverScript = """
        () => {
          window.__rolledBackAt = 0;
          const seen = () => document.querySelector('[data-testid=panel-ctr-ranker] [data-testid=rollout-state]')?.textContent.trim() === 'rolledBack';
          new MutationObserver((_, observer) => { if (seen()) { window.__rolledBackAt = Date.now(); observer.disconnect(); } })
            .observe(document.body, { childList: true, subtree: true, characterData: true });
        }
        """;

    public static async Task RunAsync(string[] options)
    {
        var count = options.FirstOrDefault(o => !o.StartsWith("--", StringComparison.Ordinal)) is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 10;
        // --pin: the server on CPU 0, this harness and the browsers it launches on CPU 1, as when
        // operators' browsers run on their own machines. Without it they share every core.
        var pin = options.Contains("--pin");

        // The baseline: the same rollback on a fresh app with no dashboard open.
        double baselineApiMs, baselineRestoreMs;
        await using (var quiet = await StartAppAsync(pin))
        {
            var (quietApi, quietId) = await StartCanaryAsync(quiet);
            await Task.Delay(TimeSpan.FromSeconds(25));
            (baselineApiMs, baselineRestoreMs) = await RollBackAsync(quietApi, quietId);
            quietApi.Dispose();
        }

        await using var app = await StartAppAsync(pin);
        var (api, id) = await StartCanaryAsync(app);
        using var disposeApi = api;

        // Past start-up's JIT and warm-up before the idle sample.
        await Task.Delay(TimeSpan.FromSeconds(25));
        var (idleCpu, idleRss, idleBrowserCpu) = await SampleAsync(app.ProcessId, TimeSpan.FromSeconds(20));
        if (pin)
        {
            await PinAsync(Environment.ProcessId, 1);
        }

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
        var (openCpu, openRss, openBrowserCpu) = await SampleAsync(app.ProcessId, TimeSpan.FromSeconds(20));
        var costs = new List<JsonElement>();
        for (var i = 0; i < 10; i++)
        {
            costs.Add(await api.GetFromJsonAsync<JsonElement>("/api/console/dashboard/cost"));
            await Task.Delay(1_100);
        }

        // Each page notes (its own clock, the same machine's) when the state first reads rolledBack:
        // the DOM change itself, apart from how often Playwright polls.
        foreach (var page in pages)
        {
            await page.EvaluateAsync(ObserverScript);
        }

        var calledAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        var shown = pages.Select(async page =>
        {
            await page.WaitForFunctionAsync(StateScript, null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            return clock.Elapsed.TotalMilliseconds;
        }).ToList();
        var (apiMs, restoreMs) = await RollBackAsync(api, id);
        var times = (await Task.WhenAll(shown)).Order().ToArray();
        var changed = new List<double>();
        foreach (var page in pages)
        {
            changed.Add(await page.EvaluateAsync<double>("() => window.__rolledBackAt") - calledAt);
        }

        changed.Sort();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            dashboards harness: {count} Chromium contexts on / of an active 20 % canary (simulator 50 req/s, gates every 1 s), {Environment.ProcessorCount} cores, {(pin ? "server pinned to CPU 0, Chromium to CPU 1" : "server and Chromium sharing every core")}
            server CPU, no dashboard open:   {idleCpu:0.0} % of one core   working set {idleRss / 1048576.0:0} MiB   (Chromium {idleBrowserCpu:0.0} %)
            server CPU, {count} dashboards open: {openCpu:0.0} % of one core   working set {openRss / 1048576.0:0} MiB   (Chromium {openBrowserCpu:0.0} %)
            feed tick (read + render), ms:   median {Median(costs.Select(c => c.GetProperty("tickMs").GetDouble())):0.0}  max {costs.Max(c => c.GetProperty("tickMs").GetDouble()):0.0}
            chart render (4 SVGs), ms:       median {Median(costs.Select(c => c.GetProperty("chartRenderMs").GetDouble())):0.0}  max {costs.Max(c => c.GetProperty("chartRenderMs").GetDouble()):0.0}  subscribers {costs[^1].GetProperty("subscribers").GetInt32()}
            rollback API call, no dashboard: {baselineApiMs:0} ms   (decision -> restore {baselineRestoreMs:0} ms)
            rollback API call, {count} open:     {apiMs:0} ms   (decision -> restore {restoreMs:0} ms)   ratio {apiMs / baselineApiMs:0.00}
            rollback shown on dashboards:    median {times[times.Length / 2]:0} ms  max {times[^1]:0} ms (from the call, all {times.Length} pages, as Playwright saw it)
            dashboards' DOM changed:         median {changed[changed.Count / 2]:0} ms  max {changed[^1]:0} ms (from the call, each page's MutationObserver)
            """));
        foreach (var page in pages)
        {
            await page.Context.CloseAsync();
        }
    }

    private static async Task<WebAppProcess> StartAppAsync(bool pin)
    {
        var app = await WebAppProcess.StartAsync(TimeSpan.FromSeconds(90), new Dictionary<string, string?>
        {
            ["ModelOps:Simulator:Enabled"] = "true",
            ["ModelOps:Simulator:RequestsPerSecond"] = "50",
            ["ModelOps:Gates:IntervalSeconds"] = "1",
        });
        if (pin)
        {
            // Started on every core (the runtime sizes its thread pool and GC then), then pinned.
            await PinAsync(app.ProcessId, 0);
        }

        return app;
    }

    /// <summary>Every thread of <paramref name="pid"/> onto one CPU (taskset -a); threads it starts later inherit it.</summary>
    private static async Task PinAsync(int pid, int cpu)
    {
        using var taskset = Process.Start(new ProcessStartInfo("taskset", ["-a", "-p", "-c", cpu.ToString(CultureInfo.InvariantCulture), pid.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
        })!;
        await taskset.StandardOutput.ReadToEndAsync();
        await taskset.WaitForExitAsync();
        if (taskset.ExitCode != 0)
        {
            throw new InvalidOperationException($"taskset could not pin {pid} to CPU {cpu}.");
        }
    }

    private static async Task<(HttpClient Api, string Id)> StartCanaryAsync(WebAppProcess app)
    {
        var api = new HttpClient { BaseAddress = app.BaseAddress };
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
        return (api, (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
    }

    /// <summary>The rollback call's wall time, and the decision-to-restore time the rollout records.</summary>
    private static async Task<(double ApiMs, double RestoreMs)> RollBackAsync(HttpClient api, string id)
    {
        var clock = Stopwatch.StartNew();
        using var rollback = await api.PostAsJsonAsync($"/api/rollouts/{id}/rollback", new { reason = "dashboards harness" });
        var apiMs = clock.Elapsed.TotalMilliseconds;
        rollback.EnsureSuccessStatusCode();
        var rollout = await api.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");
        return (apiMs, rollout.GetProperty("decisionToRestoreMs").GetDouble());
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

    /// <summary>
    /// CPU (% of one core) of the server from /proc/{pid}/stat over <paramref name="period"/>, its
    /// resident set at the end, and the CPU of every Chromium process over the same period.
    /// </summary>
    private static async Task<(double CpuPercent, long RssBytes, double BrowserCpuPercent)> SampleAsync(int pid, TimeSpan period)
    {
        var before = ProcessStat.CpuTicks(pid) ?? 0;
        var browserBefore = ProcessStat.CpuTicksByName("chrom");
        var clock = Stopwatch.StartNew();
        await Task.Delay(period);
        var ticks = (ProcessStat.CpuTicks(pid) ?? 0) - before;
        var browserTicks = ProcessStat.CpuTicksByName("chrom").Sum(p => p.Value - browserBefore.GetValueOrDefault(p.Key));
        var rss = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kb = long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        // USER_HZ is 100 on Linux.
        var seconds = clock.Elapsed.TotalSeconds;
        return (ticks / 100.0 / seconds * 100, kb * 1024, browserTicks / 100.0 / seconds * 100);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
