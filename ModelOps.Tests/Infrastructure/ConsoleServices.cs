using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Serving.Log;
using ModelOps.Inference;
using ModelOps.Web.Identity;
using MudBlazor.Services;

namespace ModelOps.Tests.Infrastructure;

/// <summary>A bUnit context whose services are the real Core/Inference ones over migrated temp SQLite files (main and inference log).</summary>
public sealed class ConsoleServices : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "modelops-bunit", Guid.NewGuid().ToString("N"));

    private ConsoleServices(BunitContext context) => Context = context;

    public BunitContext Context { get; }

    public static Task<ConsoleServices> CreateAsync(string user, params string[] roles) =>
        CreateAsync(user, roles, _ => { });

    /// <param name="configure">Adds services a page needs beyond Core, Registry and Inference (e.g. the serving path).</param>
    public static async Task<ConsoleServices> CreateAsync(string user, string[] roles, Action<IServiceCollection> configure)
    {
        var services = new ConsoleServices(new BunitContext());
        var context = services.Context;
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        context.Services.Configure<ModelOpsOptions>(o => o.DataDirectory = services._directory);
        context.Services.Configure<DatabaseOptions>(_ => { });
        context.Services.Configure<RegistryOptions>(_ => { });
        context.Services.AddModelOpsCore();
        context.Services.AddModelOpsRegistry();
        context.Services.AddModelOpsInference();
        // The inference plane binds its options from configuration; a page test adds its own settings in configure.
        context.Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        configure(context.Services);
        // bUnit's fake authorization grants policies by name; give each role the policies it satisfies in the app.
        var policies = roles.SelectMany(r => r switch
        {
            "Admin" => new[] { Policies.Admin, Policies.Operator, Policies.Approver, Policies.Reviewer },
            "Operator" => [Policies.Operator, Policies.Reviewer],
            "Approver" => [Policies.Approver, Policies.Reviewer],
            _ => [Policies.Reviewer],
        }).Distinct().ToArray();
        context.AddAuthorization().SetAuthorized(user).SetRoles(roles).SetPolicies(policies);
        Directory.CreateDirectory(services._directory);
        await using var scope = context.Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        await DatabaseUpgrade.RunAsync(
            scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>(), scope.ServiceProvider.GetRequiredService<InferenceLogDbContext>(), CancellationToken.None);
        return services;
    }

    public async Task WithScopeAsync(Func<IServiceProvider, Task> action)
    {
        await using var scope = Context.Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        await action(scope.ServiceProvider);
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
