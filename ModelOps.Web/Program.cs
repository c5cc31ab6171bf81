using ModelOps.Core;
using ModelOps.Inference;
using ModelOps.Web.Audit;
using ModelOps.Web.Components;
using ModelOps.Web.Health;
using ModelOps.Web.Hosting;
using ModelOps.Web.Identity;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddRootSettings();
// Serves MudBlazor's packaged assets from a plain build in any environment, not only Development.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddModelOpsHosting(builder.Configuration);
builder.Services.AddModelOpsCore();
builder.Services.AddModelOpsIdentity();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapStaticAssets();

app.MapHealthEndpoints();
app.MapAuthEndpoints();
app.MapAuditEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

public partial class Program;
