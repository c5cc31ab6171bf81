using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using ModelOps.Core.Audit;
using ModelOps.Core.Common;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Serving.Routing;
using ModelOps.Web.Identity;

namespace ModelOps.Web.Rollouts.Dashboard;

/// <summary>
/// The console's rollback, pause, resume and promote: the Operator policy checked on the server
/// (a denial audited as the API audits it), then the same <see cref="RolloutService.CommandAsync"/>
/// the API endpoints call, in a scope of its own (a circuit outlives a DbContext), so audit rows and
/// the concurrency token behave identically. Then the dashboards tick at once, so the switch shows
/// without waiting for the next interval.
/// </summary>
public sealed class RolloutConsoleCommands(IServiceScopeFactory scopes, DashboardFeed feed)
{
    public async Task<RolloutCommandOutcome> RunAsync(string id, RolloutCommand command, string? reason, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var actor = user.Identity?.Name ?? "unknown";
        RolloutCommandOutcome outcome;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            var action = $"{command.ToString().ToLowerInvariant()} {Rollout.AuditTarget(id)}";
            if (!await ConsoleGuard.AllowsAsync(services.GetRequiredService<IAuthorizationService>(), scopes, user, Policies.Operator, action, cancellationToken))
            {
                return RolloutCommandOutcome.Refused(Error.Forbidden($"{command} needs the Operator role; your roles do not include it."));
            }

            var done = await services.GetRequiredService<RolloutService>().CommandAsync(id, command, reason, actor, cancellationToken);
            if (!done.IsSuccess)
            {
                return RolloutCommandOutcome.Refused(done.Error);
            }

            var (rollout, transition) = done.Value;
            var live = RolloutStates.IsActive(rollout.State) ? services.GetRequiredService<ITrafficRouter>().Current(rollout.Model) : null;
            outcome = new RolloutCommandOutcome(true, transition.Changed, transition.Detail, null, RolloutView.From(rollout, live));
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await feed.RefreshNowAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The command is done either way; the dashboards show it at their next tick.
        }

        return outcome;
    }
}
