using Microsoft.Playwright;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Console;

/// <summary>The console in real Chromium against the real app on Kestrel (ENVIRONMENT.md: Debian's chromium, no download).</summary>
public sealed class ConsoleBrowserTests : IAsyncLifetime
{
    private readonly ModelOpsAppFactory _factory = new();
    private IPlaywright _playwright = null!; // Set in InitializeAsync.
    private IBrowser _browser = null!; // Set in InitializeAsync.

    public async Task InitializeAsync()
    {
        _factory.UseKestrel(0);
        _factory.StartServer();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Login_AsOperator_ShowsUserRolesAndSeededRegistry()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 760 } });
        var baseUrl = _factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');

        await page.GotoAsync($"{baseUrl}/registry", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#username", "operator");
        await page.FillAsync("#password", ModelOpsAppFactory.DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{baseUrl}/registry");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var user = await page.Locator("[data-testid=current-user]").InnerTextAsync();
        Assert.Contains("operator", user, StringComparison.Ordinal);
        Assert.Contains("Operator", user, StringComparison.Ordinal);
        await page.Locator("text=ctr-ranker").First.WaitForAsync();
        Assert.Contains("champion → v2", await page.Locator("[data-testid=models]").InnerTextAsync(), StringComparison.Ordinal);
        await SaveScreenshotAsync(page);
    }

    [Fact]
    public async Task Login_WrongPassword_StaysOnLoginWithError()
    {
        var page = await _browser.NewPageAsync();
        var baseUrl = _factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');

        await page.GotoAsync($"{baseUrl}/login", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await page.FillAsync("#username", "operator");
        await page.FillAsync("#password", "wrong-password-123");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        Assert.Contains("wrong password", await page.Locator("[role=alert]").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serving_AsOperator_ShowsCtrRankerRoutingAndStartsTraffic()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var baseUrl = _factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');

        await page.GotoAsync($"{baseUrl}/serving", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await page.FillAsync("#username", "operator");
        await page.FillAsync("#password", ModelOpsAppFactory.DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{baseUrl}/serving");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        await Assertions.Expect(page.Locator("[data-testid=weights-ctr-ranker]")).ToContainTextAsync("v2 → 100 %");
        await Assertions.Expect(page.Locator("[data-testid=health-ctr-ranker-v2]")).ToHaveTextAsync("Healthy");
        Assert.Equal("0", await page.Locator("[data-testid=simulator-sent]").InnerTextAsync());

        await page.ClickAsync("[data-testid=simulator-start]");

        await Assertions.Expect(page.Locator("[data-testid=simulator-state]")).ToHaveTextAsync("Running");
        // The simulator sends at 20 req/s by default and the page refreshes every 2 s.
        await Assertions.Expect(page.Locator("[data-testid=simulator-sent]")).Not.ToHaveTextAsync("0", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        await SaveScreenshotAsync(page, "MODELOPS_SERVING_SCREENSHOT", settle: TimeSpan.FromSeconds(25));
    }

    // Keeps the README pictures current; written only when the variable names a path.
    private static async Task SaveScreenshotAsync(IPage page, string variable = "MODELOPS_SCREENSHOT", TimeSpan settle = default)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } path)
        {
            // Lets live numbers and the chart fill in before the picture; only when one is wanted.
            await page.WaitForTimeoutAsync((float)settle.TotalMilliseconds);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        }
    }
}
