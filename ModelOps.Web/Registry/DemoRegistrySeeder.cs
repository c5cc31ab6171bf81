using Microsoft.Extensions.Options;
using ModelOps.Core;
using ModelOps.Core.Demo;
using ModelOps.Core.Registry;
using ModelOps.Web.Hosting;
using ModelOps.Web.Identity;
using ModelOps.Web.Simulator;

namespace ModelOps.Web.Registry;

/// <summary>
/// Demo mode: trains the ctr-ranker family (seed 42) and registers it through the same
/// registry path an operator's upload takes, with champion → v2 and challenger → v3.
/// Skipped when the model already has versions, so a restart changes nothing. Each version's
/// decisionThreshold is the simulator's show threshold: the score at which the demo shows an ad.
/// </summary>
internal sealed partial class DemoRegistrySeeder(
    IOptions<ModelOpsOptions> options, IOptions<SimulatorOptions> simulator, IConfiguration configuration, ILogger<DemoRegistrySeeder> logger) : IStartupTask
{
    private const int Seed = 42;

    public int Order => 10;

    public async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!options.Value.DemoMode || !configuration.GetValue("ModelOps:Demo:SeedModels", true))
        {
            return;
        }

        var catalog = services.GetRequiredService<RegistryCatalog>();
        if ((await catalog.ListModelsAsync(cancellationToken)).Any(m => m.Name == DemoModelFamily.ModelName))
        {
            return;
        }

        var registry = services.GetRequiredService<ModelRegistry>();
        var family = services.GetRequiredService<DemoModelFamily>().Build(Seed);
        foreach (var demo in family)
        {
            Require(await registry.RegisterEncoderAsync(demo.EncoderSpec, AccessSeeder.SystemActor, cancellationToken));
            await using var bytes = new MemoryStream(demo.OnnxBytes, writable: false);
            var registration = new VersionRegistration(
                demo.TrainingRunId,
                demo.DatasetHash,
                $"{demo.EncoderName}@{demo.EncoderVersion}",
                demo.Description,
                System.Text.Json.JsonSerializer.Serialize(demo.Metrics),
                simulator.Value.ShowThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Require(await registry.RegisterVersionAsync(DemoModelFamily.ModelName, bytes, registration, AccessSeeder.SystemActor, cancellationToken));
        }

        Require(await registry.MoveAliasAsync(DemoModelFamily.ModelName, "champion", 2, "demo seed: v2 beats v1 on every segment", AccessSeeder.SystemActor, cancellationToken));
        Require(await registry.MoveAliasAsync(DemoModelFamily.ModelName, "challenger", 3, "demo seed: retrained on fresh data", AccessSeeder.SystemActor, cancellationToken));
        Log.Seeded(logger, DemoModelFamily.ModelName, family.Count);
    }

    private static void Require<T>(ModelOps.Core.Common.Result<T> result)
    {
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"Demo seeding failed: {result.Error.Detail}");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Demo registry seeded: {Model} with {Count} versions")]
        public static partial void Seeded(ILogger logger, string model, int count);
    }
}
