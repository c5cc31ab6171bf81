using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Demo;
using ModelOps.Core.Registry;
using ModelOps.Inference.Onnx;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Components.Pages.Registry;

namespace ModelOps.Tests.Console;

public sealed class RegistryPageTests
{
    [Fact]
    public async Task List_ModelsWithAliases_ShowsEachModelItsAliasesAndLatestVersion()
    {
        await using var console = await ConsoleServices.CreateAsync("reviewer", "Reviewer");
        await RegisterAsync(console, "pricing", 0.1f);
        await RegisterAsync(console, "pricing", 0.2f);
        await RegisterAsync(console, "fraud", 0.3f);
        await console.WithScopeAsync(async sp =>
        {
            var moved = await sp.GetRequiredService<ModelRegistry>().MoveAliasAsync("pricing", "champion", 1, "first release", "operator", CancellationToken.None);
            Assert.True(moved.IsSuccess);
        });

        var page = console.Context.Render<RegistryPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=models] tbody tr").Count));
        var rows = page.FindAll("[data-testid=models] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains(rows, r => r.Contains("pricing", StringComparison.Ordinal) && r.Contains("champion → v1", StringComparison.Ordinal) && r.Contains("v2", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("fraud", StringComparison.Ordinal) && !r.Contains("champion", StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_EmptyRegistry_SaysSo()
    {
        await using var console = await ConsoleServices.CreateAsync("reviewer", "Reviewer");

        var page = console.Context.Render<RegistryPage>();

        page.WaitForAssertion(() => Assert.Contains("No models registered yet", page.Markup, StringComparison.Ordinal));
    }

    private static Task RegisterAsync(ConsoleServices console, string model, float bias) => console.WithScopeAsync(async sp =>
    {
        var bytes = new LinearModelOnnxWriter().Serialize(new LinearModel([0.1f, 0.2f], bias));
        await using var stream = new MemoryStream(bytes);
        var result = await sp.GetRequiredService<ModelRegistry>().RegisterVersionAsync(model, stream, new VersionRegistration(), "operator", CancellationToken.None);
        Assert.True(result.IsSuccess);
    });
}
