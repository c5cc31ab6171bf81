using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Demo;
using ModelOps.Core.Registry;
using ModelOps.Inference.Onnx;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Components.Pages.Registry;

namespace ModelOps.Tests.Console;

/// <summary>Two real registered versions side by side: differences said in words, not by colour alone.</summary>
public sealed class ComparePageTests
{
    [Fact]
    public async Task Compare_TwoVersions_MarksMetricLineageAndDigestDifferencesInText()
    {
        await using var console = await ConsoleServices.CreateAsync("reviewer", "Reviewer");
        await RegisterAsync(console, 0.1f, new VersionRegistration("run-1", "sha256:data-a", null, "first", "{\"auc\":0.71}"));
        await RegisterAsync(console, 0.4f, new VersionRegistration("run-2", "sha256:data-a", null, "second", "{\"auc\":0.74}"));

        console.Context.Services.GetRequiredService<NavigationManager>().NavigateTo("/registry/pricing/compare?a=1&b=2");
        var page = console.Context.Render<ComparePage>(p => p.Add(x => x.Name, "pricing"));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=compare-table] tbody tr")));
        string Row(string field) => page.FindAll("[data-testid=compare-table] tbody tr").Single(r => r.Children[1].TextContent == field).Children[4].TextContent.Trim();
        Assert.Equal("differs (+0.0300)", Row("auc"));
        Assert.Equal("differs", Row("training run"));
        Assert.Equal("same", Row("dataset hash"));
        Assert.Equal("differs", Row("artifact digest"));
        var inputs = page.FindAll("[data-testid=compare-table] tbody tr").Where(r => r.Children[1].TextContent.StartsWith("inputs: ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(inputs); // Same signature: both versions come from the same writer.
        Assert.All(inputs, r => Assert.Equal("same", r.Children[4].TextContent.Trim()));
        Assert.Contains("fields differ", page.Find("[data-testid=compare-summary]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_UnknownVersion_SaysWhichOneIsMissing()
    {
        await using var console = await ConsoleServices.CreateAsync("reviewer", "Reviewer");
        await RegisterAsync(console, 0.1f, new VersionRegistration());

        console.Context.Services.GetRequiredService<NavigationManager>().NavigateTo("/registry/pricing/compare?a=1&b=9");
        var page = console.Context.Render<ComparePage>(p => p.Add(x => x.Name, "pricing"));

        page.WaitForAssertion(() => Assert.Equal("pricing has no version 9; pick two it has.", page.Find("[data-testid=compare-error]").TextContent.Trim()));
    }

    private static Task RegisterAsync(ConsoleServices console, float weight, VersionRegistration registration) => console.WithScopeAsync(async sp =>
    {
        var bytes = new LinearModelOnnxWriter().Serialize(new LinearModel([weight, 0.2f], 0.3f));
        await using var stream = new MemoryStream(bytes);
        var result = await sp.GetRequiredService<ModelRegistry>().RegisterVersionAsync("pricing", stream, registration, "operator", CancellationToken.None);
        Assert.True(result.IsSuccess, result.Error?.Detail);
    });
}
