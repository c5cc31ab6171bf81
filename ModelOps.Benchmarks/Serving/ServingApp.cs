using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Demo;
using ModelOps.Inference.Serving.Sessions;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Hosting;

namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// The real app composed in this process (as the tests host it): a fresh SQLite file in a
/// temp data directory, demo mode on (ctr-ranker v1-v3 seeded, champion v2 served), simulator
/// off. Production environment, so nothing Development-only runs on the measured path. Only
/// its services are used; the in-memory TestServer never carries measured traffic.
/// </summary>
public sealed class ServingApp : WebApplicationFactory<Program>
{
    public const string Model = DemoModelFamily.ModelName;

    private readonly Dictionary<string, string?> _settings;

    private ServingApp(Func<string, IReadOnlyDictionary<string, string?>> settings)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "modelops-harness", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        _settings = new Dictionary<string, string?>(WebAppProcess.Settings(DataDirectory));
        foreach (var (key, value) in settings(DataDirectory))
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    /// <summary>Starts the app and returns once start-up (migrations, demo seeding, warm-up) is done and v2 is warm.</summary>
    public static Task<ServingApp> StartAsync(IReadOnlyDictionary<string, string?>? settings = null) =>
        StartAsync(_ => settings ?? new Dictionary<string, string?>());

    /// <summary>The same, with settings that name paths in the app's data directory (passed in).</summary>
    public static async Task<ServingApp> StartAsync(Func<string, IReadOnlyDictionary<string, string?>> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var app = new ServingApp(settings);
        // Hosted services (DatabaseInitializer runs the start-up tasks) finish starting before Services returns.
        var state = app.Services.GetRequiredService<StartupState>();
        var pool = app.Services.GetRequiredService<SessionPool>();
        for (var waited = 0; !state.IsReady || pool.FindHealthy(Model, 2) is null; waited++)
        {
            if (waited > 1_200)
            {
                await app.DisposeAsync();
                throw new TimeoutException("The in-process app did not become ready with ctr-ranker v2 warm within 120 s.");
            }

            await Task.Delay(100);
        }

        return app;
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing background task; the temp folder is disposable.
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        // The harness prints its own figures; the app's own warnings (e.g. log drops, reported as figures) would interleave.
        builder.UseSetting("Logging:LogLevel:Default", "Error");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Error");
    }
}
