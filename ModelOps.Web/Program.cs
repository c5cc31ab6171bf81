using Microsoft.AspNetCore.Http.Features;
using ModelOps.Core;
using ModelOps.Core.Demo;
using ModelOps.Core.Registry;
using ModelOps.Inference;
using ModelOps.Inference.Serving;
using ModelOps.Inference.Serving.Caching;
using ModelOps.Inference.Serving.Calibration;
using ModelOps.Inference.Serving.Chaos;
using ModelOps.Inference.Serving.Log;
using ModelOps.Inference.Serving.Metrics;
using ModelOps.Web.Audit;
using ModelOps.Web.Chaos;
using ModelOps.Web.Cluster;
using ModelOps.Web.Components;
using ModelOps.Web.GameDays;
using ModelOps.Web.Health;
using ModelOps.Web.Hosting;
using ModelOps.Web.Identity;
using ModelOps.Web.Incidents;
using ModelOps.Web.Metrics;
using ModelOps.Web.Notifications;
using ModelOps.Web.Registry;
using ModelOps.Web.Rollouts;
using ModelOps.Web.Rollouts.Dashboard;
using ModelOps.Web.Serving;
using ModelOps.Web.Simulator;
using MudBlazor.Services;

// Isolated artifact validation runs this program as a short-lived child (see IsolatedArtifactInspector).
if (args is [ArtifactInspectionChild.Command, var artifactPath])
{
    return await ArtifactInspectionChild.RunAsync(artifactPath);
}

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddRootSettings();
// Serves MudBlazor's packaged assets from a plain build in any environment, not only Development.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddModelOpsHosting(builder.Configuration);
builder.Services.AddModelOpsCore();
builder.Services.AddAuditCheckpoints();
builder.Services.AddModelOpsRegistry();
builder.Services.AddModelOpsInference();
builder.Services.AddModelOpsWeb();
builder.Services.AddModelOpsCluster(builder.Configuration);
builder.Services.AddModelOpsJobs(builder.Configuration);
builder.Services.AddModelOpsNotifications(builder.Configuration);
builder.Services.AddModelOpsGameDays();
builder.Services.AddModelOpsIncidents();
builder.Services.AddModelOpsIdentity();
builder.Services.AddModelOpsDashboard();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();

var app = builder.Build();

app.UseExceptionHandler();
// Console pages answer an unknown path with the console's not-found page; every machine route
// (the API, the inference plane, metrics, downloads) keeps problem+json.
app.UseWhen(context => ConsolePaths.IsConsolePage(context.Request), console => console.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
app.UseWhen(context => !ConsolePaths.IsConsolePage(context.Request), machine => machine.UseStatusCodePages());
// Routing after the status code pages, so a re-executed request (/not-found) is routed afresh.
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapStaticAssets();

app.MapHealthEndpoints();
app.MapAuthEndpoints();
app.MapAuditEndpoints();
app.MapRegistryEndpoints();
app.MapRoutingEndpoints();
app.MapInferenceEndpoints();
app.MapServingStateEndpoints();
app.MapChaosEndpoints();
app.MapMetricsEndpoints();
app.MapSimulatorEndpoints();
app.MapRolloutEndpoints();
app.MapRolloutDecisionEndpoints();
app.MapRolloutRunbook();
app.MapIncidentEndpoints();
app.MapNotificationEndpoints();
app.MapGameDayEndpoints();
app.MapReplayEndpoints();
app.MapDashboardEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();
return 0;

public partial class Program;
