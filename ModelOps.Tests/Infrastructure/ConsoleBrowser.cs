using Microsoft.Playwright;

namespace ModelOps.Tests.Infrastructure;

/// <summary>
/// The real app on a loopback Kestrel port over a fresh data directory, and Debian's Chromium
/// (ENVIRONMENT.md: never a downloaded browser) to drive it. Each <see cref="LogInAsync"/> opens a
/// browser context of its own, so two users are two sessions. Screenshots are the run's artefacts.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private ConsoleBrowser(ModelOpsAppFactory factory, IPlaywright playwright, IBrowser browser) =>
        (Factory, _playwright, _browser) = (factory, playwright, browser);

    public ModelOpsAppFactory Factory { get; }

    public string BaseUrl => Factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');

    /// <param name="settings">Configuration overrides on top of the factory's (demo mode on, simulator off).</param>
    public static async Task<ConsoleBrowser> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var factory = new ModelOpsAppFactory();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            factory.Settings[key] = value;
        }

        // Two cores shared with parallel builds: a circuit's push can take seconds, so every expectation waits on state for long.
        Assertions.SetDefaultExpectTimeout(30_000);
        factory.UseKestrel(0);
        factory.StartServer();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumArgs });
        return new ConsoleBrowser(factory, playwright, browser);
    }

    /// <summary>A new session: opens <paramref name="path"/>, signs in on the login page it redirects to, and waits for the page's circuit.</summary>
    public async Task<IPage> LogInAsync(string user, string path, int height = 1000)
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = height }, AcceptDownloads = true });
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync($"{BaseUrl}{path}", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", ModelOpsAppFactory.DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{BaseUrl}{path}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return page;
    }

    public async Task GoToAsync(IPage page, string path)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync($"{BaseUrl}{path}", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
    }

    /// <summary>
    /// Text typed into the prerendered page before the circuit takes over is dropped when the
    /// interactive render replaces it; typing again once connected sticks, which the enabled button shows.
    /// </summary>
    public static async Task TypeUntilEnabledAsync(IPage page, ILocator input, string text, ILocator button)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(button);
        for (var attempt = 1; ; attempt++)
        {
            await input.FillAsync(text);
            try
            {
                await Assertions.Expect(button).ToBeEnabledAsync(new() { Timeout = 3_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 10)
            {
                // Typed before the circuit connected: the text was dropped, so type it again.
            }
        }
    }

    /// <summary>Clicks until <paramref name="shown"/> appears: a click that came before the circuit connected did nothing (the command must be idempotent).</summary>
    public static async Task ClickUntilAsync(ILocator button, ILocator shown)
    {
        ArgumentNullException.ThrowIfNull(button);
        ArgumentNullException.ThrowIfNull(shown);
        for (var attempt = 1; ; attempt++)
        {
            if (await button.IsEnabledAsync())
            {
                await button.ClickAsync();
            }

            try
            {
                await Assertions.Expect(shown).ToBeVisibleAsync(new() { Timeout = 10_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 5)
            {
                // Nothing happened yet: click again.
            }
        }
    }

    /// <summary>Opens a MudSelect and picks <paramref name="text"/>; a press before the circuit connected opens nothing, so it presses again.</summary>
    public static async Task PickAsync(IPage page, ILocator select, string text)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(select);
        var option = page.Locator(".mud-popover-open").GetByText(text, new() { Exact = true });
        for (var attempt = 1; ; attempt++)
        {
            await select.ClickAsync();
            try
            {
                await option.WaitForAsync(new() { Timeout = 5_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 6)
            {
                // The menu did not open: the press came before the circuit.
            }
        }

        await option.ClickAsync();
        await Assertions.Expect(option).ToBeHiddenAsync(); // picked: the menu closed
    }

    /// <summary>
    /// Into MODELOPS_ARTIFACTS (or the test output's artifacts/screenshots) as <c>{prefix}-{name}.png</c>;
    /// also to the path in <paramref name="variable"/> when that is set (the README's pictures).
    /// </summary>
    public static async Task SaveScreenshotAsync(IPage page, string prefix, string name, string? variable = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        var directory = Environment.GetEnvironmentVariable("MODELOPS_ARTIFACTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, $"{prefix}-{name}.png"), FullPage = true });
        if (variable is not null && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } path)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await Factory.DisposeAsync();
    }
}
