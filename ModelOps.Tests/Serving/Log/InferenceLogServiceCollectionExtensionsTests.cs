using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ModelOps.Core;
using ModelOps.Core.Persistence;
using ModelOps.Core.Serving.Log;
using ModelOps.Inference.Serving.Log;

namespace ModelOps.Tests.Serving.Log;

public sealed class InferenceLogServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddInferenceLog_Resolved_OneWriterServesAsLogAndHostedService()
    {
        await using var provider = Build([]);

        var writer = provider.GetRequiredService<InferenceLogWriter>();

        Assert.Same(writer, provider.GetRequiredService<IInferenceLog>());
        Assert.Contains(writer, provider.GetServices<IHostedService>());
        Assert.Contains(provider.GetRequiredService<InferenceLogRetention>(), provider.GetServices<IHostedService>());
        Assert.NotNull(provider.GetRequiredService<InferenceLogReader>());
    }

    [Fact]
    public async Task AddInferenceLog_SectionValues_BoundToOptions()
    {
        await using var provider = Build(new() { ["ModelOps:Inference:Log:BatchSize"] = "64", ["ModelOps:Inference:Log:RetentionHours"] = "24" });

        var options = provider.GetRequiredService<IOptions<InferenceLogOptions>>().Value;

        Assert.Equal((64, 24, 100_000), (options.BatchSize, options.RetentionHours, options.Capacity));
    }

    [Fact]
    public async Task AddInferenceLog_ZeroCapacity_FailsValidation()
    {
        await using var provider = Build(new() { ["ModelOps:Inference:Log:Capacity"] = "0" });

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<InferenceLogOptions>>().Value);

        Assert.Contains("Capacity", failure.Message);
    }

    [Theory]
    [InlineData(null, "Host=main;Database=modelops")]
    [InlineData("Host=log;Database=log", "Host=log;Database=log")]
    public async Task AddInferenceLog_Postgres_LogOnItsOwnConnectionStringElseTheMainOne(string? logConnection, string expected)
    {
        await using var provider = Build([], database =>
        {
            database.Provider = "Postgres";
            database.ConnectionString = "Host=main;Database=modelops";
            database.InferenceLogConnectionString = logConnection;
        });
        await using var scope = provider.CreateAsyncScope();

        var context = scope.ServiceProvider.GetRequiredService<InferenceLogDbContext>();

        Assert.IsType<PostgresInferenceLogDbContext>(context);
        Assert.Equal(expected, context.Database.GetConnectionString());
        Assert.IsType<PostgresInferenceLogDatabase>(provider.GetRequiredService<InferenceLogDatabase>());
    }

    [Fact]
    public async Task AddInferenceLog_Sqlite_LogOnSqlite()
    {
        await using var provider = Build([]);
        await using var scope = provider.CreateAsyncScope();

        Assert.Equal(typeof(InferenceLogDbContext), scope.ServiceProvider.GetRequiredService<InferenceLogDbContext>().GetType());
        Assert.IsType<SqliteInferenceLogDatabase>(provider.GetRequiredService<InferenceLogDatabase>());
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<DatabaseOptions>? database = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.Configure<ModelOpsOptions>(o => o.DataDirectory = Path.GetTempPath());
        services.Configure<DatabaseOptions>(database ?? (_ => { }));
        services.AddModelOpsCore().AddInferenceLog();
        return services.BuildServiceProvider();
    }
}
