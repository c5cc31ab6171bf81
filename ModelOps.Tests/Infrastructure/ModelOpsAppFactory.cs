using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Persistence;
using ModelOps.Web.Identity;

namespace ModelOps.Tests.Infrastructure;

/// <summary>
/// The real app over a fresh SQLite file in a temp data directory, demo users seeded; with
/// <c>MODELOPS_TEST_PROVIDER=Postgres</c> over a fresh PostgreSQL database of its own instead
/// (dropped on dispose; the inference log stays in the data directory).
/// Extra settings (e.g. turning demo models off) come through <see cref="Settings"/>.
/// </summary>
public class ModelOpsAppFactory : WebApplicationFactory<Program>
{
    public const string DemoPassword = "modelops-demo";

    public ModelOpsAppFactory()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "modelops-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        if (TestProvider.IsPostgres)
        {
            PostgresConnectionString = PostgresServer.CreateDatabase();
            Settings["ModelOps:Database:Provider"] = DatabaseOptions.Postgres;
            Settings["ConnectionStrings:ModelOps"] = PostgresConnectionString;
        }
    }

    /// <summary>The app's PostgreSQL database; null on SQLite.</summary>
    public string? PostgresConnectionString { get; }

    public string DataDirectory { get; }

    /// <summary>Configuration overrides, applied as command-line style keys.</summary>
    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["ModelOps:DemoMode"] = "true",
        ["ModelOps:Simulator:Enabled"] = "false",
    };

    public async Task<HttpClient> CreateClientForAsync(string user)
    {
        var client = CreateClient();
        var token = await GetTokenAsync(client, user);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<string> GetTokenAsync(HttpClient client, string user)
    {
        var response = await client.PostAsJsonAsync("/api/auth/token", new TokenRequest(user, DemoPassword));
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenResponse>();
        return body!.Token; // EnsureSuccessStatusCode guarantees a body.
    }

    public T Service<T>(Func<IServiceProvider, T> resolve)
    {
        using var scope = Services.CreateScope();
        return resolve(scope.ServiceProvider);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ModelOps:DataDirectory", DataDirectory);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (PostgresConnectionString is not null)
            {
                PostgresServer.DropDatabase(PostgresConnectionString);
            }

            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a finishing background task; the temp folder is disposable.
            }
        }
    }
}
