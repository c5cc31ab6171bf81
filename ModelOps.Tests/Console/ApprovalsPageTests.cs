using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Audit;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Components.Pages.Approvals;

namespace ModelOps.Tests.Console;

/// <summary>The approvals queue over real rollouts and approvals in migrated SQLite, raised and decided by the real <see cref="RolloutApprovals"/>.</summary>
public sealed class ApprovalsPageTests
{
    [Fact]
    public async Task Queue_PendingGuardrailTrigger_ShowsEvidenceNumbers()
    {
        await using var console = await ConsoleServices.CreateAsync("approver", "Approver");
        var (_, approvalId) = await RaiseAsync(console, startedBy: "operator");

        var page = console.Context.Render<ApprovalsPage>();

        page.WaitForAssertion(() =>
        {
            var evidence = page.Find($"[data-testid=approval-{approvalId}] [data-testid=approval-evidence]").TextContent;
            Assert.Contains("kpi", evidence, StringComparison.Ordinal);
            Assert.Contains("0.05", evidence, StringComparison.Ordinal); // baseline KPI
            Assert.Contains("0.045", evidence, StringComparison.Ordinal); // candidate KPI
            Assert.Contains("at most −2 % below baseline", evidence, StringComparison.Ordinal);
            Assert.Contains("0.00123", evidence, StringComparison.Ordinal); // p-value
        });
    }

    [Fact]
    public async Task Queue_ApproverWhoDidNotStartIt_ButtonsEnabledOnceReasonTyped()
    {
        await using var console = await ConsoleServices.CreateAsync("approver", "Approver");
        var (_, approvalId) = await RaiseAsync(console, startedBy: "operator");
        var page = console.Context.Render<ApprovalsPage>();
        page.WaitForAssertion(() => page.Find($"[data-testid=approval-{approvalId}]"));
        Assert.True(Button(page, approvalId, "revert").HasAttribute("disabled")); // no reason yet

        page.Find($"[data-testid=approval-{approvalId}] input").Input("KPI drop is within the holiday dip");

        page.WaitForAssertion(() =>
        {
            Assert.False(Button(page, approvalId, "revert").HasAttribute("disabled"));
            Assert.False(Button(page, approvalId, "continue").HasAttribute("disabled"));
        });
        Assert.Empty(page.FindAll($"[data-testid=approval-{approvalId}] [data-testid=decision-blocked]"));
    }

    [Fact]
    public async Task Queue_InitiatorWhoIsApprover_ButtonsDisabledWithFourEyesReason()
    {
        await using var console = await ConsoleServices.CreateAsync("approver", "Approver");
        var (_, approvalId) = await RaiseAsync(console, startedBy: "approver");

        var page = console.Context.Render<ApprovalsPage>();

        page.WaitForAssertion(() => Assert.Contains(
            "You started this rollout; another approver must decide.", page.Find($"[data-testid=approval-{approvalId}] [data-testid=decision-blocked]").TextContent, StringComparison.Ordinal));
        Assert.True(Button(page, approvalId, "revert").HasAttribute("disabled"));
        Assert.True(Button(page, approvalId, "continue").HasAttribute("disabled"));
    }

    [Theory]
    [InlineData("reviewer", "Reviewer")]
    [InlineData("oscar", "Operator")]
    public async Task Queue_RoleWithoutApprover_SeesTriggerButCannotDecide(string user, string role)
    {
        await using var console = await ConsoleServices.CreateAsync(user, role);
        var (_, approvalId) = await RaiseAsync(console, startedBy: "operator");

        var page = console.Context.Render<ApprovalsPage>();

        page.WaitForAssertion(() => Assert.Contains(
            "Only an Approver may decide", page.Find($"[data-testid=approval-{approvalId}] [data-testid=decision-blocked]").TextContent, StringComparison.Ordinal));
        Assert.True(Button(page, approvalId, "continue").HasAttribute("disabled"));
        Assert.True(page.Find($"[data-testid=approval-{approvalId}] input").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Decide_Continue_GoesThroughServiceAndRowMovesToDecided()
    {
        await using var console = await ConsoleServices.CreateAsync("approver", "Approver");
        var (rolloutId, approvalId) = await RaiseAsync(console, startedBy: "operator");
        var page = console.Context.Render<ApprovalsPage>();
        page.WaitForAssertion(() => page.Find($"[data-testid=approval-{approvalId}]"));

        page.Find($"[data-testid=approval-{approvalId}] input").Input("within the seasonal dip");
        await page.InvokeAsync(() => Button(page, approvalId, "continue").Click());

        page.WaitForAssertion(() =>
        {
            Assert.Empty(page.FindAll($"[data-testid=approval-{approvalId}]"));
            Assert.Equal("continued", page.Find($"[data-testid=decided-status-{approvalId}]").TextContent);
            Assert.Contains("within the seasonal dip", page.Find("[data-testid=decided-approvals]").TextContent, StringComparison.Ordinal);
        });
        await console.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ModelOpsDbContext>();
            var approval = await db.Set<RolloutApproval>().SingleAsync(a => a.Id == approvalId);
            Assert.Equal(("continued", "approver"), (approval.Status, approval.DecidedBy));
            Assert.Equal(RolloutStates.Progressing, (await db.Set<Rollout>().SingleAsync(r => r.Id == rolloutId)).State);
            var audit = await sp.GetRequiredService<AuditLog>().QueryAsync(new AuditQuery(null, "approver", "rollout.approvalContinued", null, null, 0, 10), CancellationToken.None);
            Assert.Equal(1, audit.Total);
        });
    }

    [Fact]
    public async Task Queue_TriggerRaisedWhileOpen_AppearsWithoutReload()
    {
        await using var console = await ConsoleServices.CreateAsync("approver", "Approver");
        var page = console.Context.Render<ApprovalsPage>();
        page.WaitForAssertion(() => Assert.Contains("No soft trigger is waiting", page.Find("[data-testid=pending-approvals]").TextContent, StringComparison.Ordinal));

        var (_, approvalId) = await RaiseAsync(console, startedBy: "operator");

        page.WaitForAssertion(() => page.Find($"[data-testid=approval-{approvalId}]"), TimeSpan.FromSeconds(ApprovalsPage.RefreshSeconds * 3));
    }

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<ApprovalsPage> page, string approvalId, string decision) =>
        page.Find($"[data-testid=approval-{approvalId}] button[data-testid=decide-{decision}]");

    /// <summary>A progressing rollout whose soft KPI guardrail tripped, raised through <see cref="RolloutApprovals.RaiseAsync"/> as the evaluator raises it.</summary>
    internal static async Task<(string RolloutId, string ApprovalId)> RaiseAsync(ConsoleServices console, string startedBy)
    {
        var rollout = RolloutRows.Row("ctr-ranker", RolloutStates.Progressing, DateTimeOffset.UtcNow.AddMinutes(-10));
        rollout.StartedBy = startedBy;
        var verdict = new VerdictRecord(GuardrailMetric.Kpi, VerdictStatus.Fail, 0.05, 0.045, 0.02, null, 0.05, -0.1, -0.14, -0.06, 0.00123,
            DateTimeOffset.UtcNow.AddSeconds(-30), new SampleCounts(4000, 400), null, null, Sustained: true, Reason: "KPI 10 % below the baseline");
        string approvalId = "";
        await console.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ModelOpsDbContext>();
            db.Add(rollout);
            await db.SaveChangesAsync();
            var raised = await sp.GetRequiredService<RolloutApprovals>().RaiseAsync(rollout.Id, new ApprovalRequest(
                ApprovalKinds.Guardrail, RolloutEvaluator.Actor, "soft guardrail kpi failed for 10 s", new GuardrailEvidence(0, "kpi", 0, verdict)), CancellationToken.None);
            Assert.True(raised.IsSuccess, raised.IsSuccess ? null : raised.Error.Detail);
            approvalId = raised.Value.Id;
        });
        return (rollout.Id, approvalId);
    }
}
