using Bunit;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Components.Pages.Flags;
using ModelOps.Web.Components.Pages.GameDays;

namespace ModelOps.Tests.Console;

/// <summary>
/// What each role is offered on the game-day and flags pages, over the real services and migrated
/// SQLite. In real Chromium: the reviewer's spot check from /flags in ConsoleStoryBrowserTests;
/// an operator running a drill from /gamedays, and flagging a dataset from /flags (and a reviewer
/// on /flags offered no way to), in ConsoleGameDayBrowserTests.
/// </summary>
public sealed class GameDaysAndFlagsPageTests
{
    [Theory]
    [InlineData("Operator", true)]
    [InlineData("Reviewer", false)]
    [InlineData("Approver", false)]
    public async Task GameDays_ByRole_OnlyAnOperatorGetsTheRunForm(string role, bool offered)
    {
        await using var console = await ConsoleServices.CreateAsync("someone", role);

        var page = console.Context.Render<GameDaysPage>();

        page.WaitForAssertion(() => page.Find("[data-testid=gameday-table]"));
        Assert.Equal(offered, page.FindAll("button[data-testid=gameday-run]").Count == 1);
        Assert.Equal(!offered, page.FindAll("[data-testid=gameday-readonly]").Count == 1);
    }

    [Theory]
    [InlineData("Operator", true)]
    [InlineData("Reviewer", false)]
    [InlineData("Approver", false)]
    public async Task Flags_ByRole_OnlyAnOperatorMayFlagADatasetAndOthersAreToldWhy(string role, bool mayFlag)
    {
        await using var console = await ConsoleServices.CreateAsync("someone", role);

        var page = console.Context.Render<FlagsPage>();

        page.WaitForAssertion(() => page.Find("[data-testid=dataset-flag]"));
        Assert.Equal(!mayFlag, page.Find("button[data-testid=dataset-flag-button]").HasAttribute("disabled"));
        Assert.Equal(!mayFlag, page.FindAll("[data-testid=dataset-readonly]").Count == 1);
        Assert.Single(page.FindAll("[data-testid=spot-check]")); // every console role may spot-check
    }
}
