using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Demo;
using ModelOps.Core.Registry;
using ModelOps.Inference.Onnx;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Components.Pages.Registry;
using MudBlazor;

namespace ModelOps.Tests.Console;

public sealed class ModelPageTests
{
    [Fact]
    public async Task MoveAlias_WithoutReason_ShowsTheRuleAndMovesNothing()
    {
        await using var console = await ConsoleServices.CreateAsync("operator", "Operator");
        await RegisterAsync(console, "pricing");

        var page = console.Context.Render<ModelPage>(p => p.Add(x => x.Name, "pricing"));
        page.WaitForAssertion(() => Assert.Contains("v1", page.Markup, StringComparison.Ordinal));
        await page.InvokeAsync(() => page.FindComponents<MudButton>().Single(b => b.Markup.Contains("Move alias", StringComparison.Ordinal)).Find("button").Click());

        page.WaitForAssertion(() => Assert.Contains("reason is required", page.Find("[data-testid=registry-error]").TextContent, StringComparison.Ordinal));
        await console.WithScopeAsync(async sp =>
        {
            var history = await sp.GetRequiredService<RegistryCatalog>().AliasHistoryAsync("pricing", "champion", CancellationToken.None);
            Assert.Empty(history.Value!);
        });
    }

    [Fact]
    public async Task Reviewer_DoesNotGetTheOperatorForms()
    {
        await using var console = await ConsoleServices.CreateAsync("reviewer", "Reviewer");
        await RegisterAsync(console, "pricing");

        var page = console.Context.Render<ModelPage>(p => p.Add(x => x.Name, "pricing"));

        page.WaitForAssertion(() => Assert.Contains("v1", page.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("Move alias", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Register a new version", page.Markup, StringComparison.Ordinal);
    }

    private static Task RegisterAsync(ConsoleServices console, string model) => console.WithScopeAsync(async sp =>
    {
        var bytes = new LinearModelOnnxWriter().Serialize(new LinearModel([0.1f, 0.2f], 0.3f));
        await using var stream = new MemoryStream(bytes);
        var result = await sp.GetRequiredService<ModelRegistry>().RegisterVersionAsync(model, stream, new VersionRegistration(), "operator", CancellationToken.None);
        Assert.True(result.IsSuccess);
    });
}
