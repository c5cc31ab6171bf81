using ModelOps.Core.Incidents.Samples;
using ModelOps.Web.Incidents.Reports;

namespace ModelOps.Web.Incidents;

public static class IncidentsServiceCollectionExtensions
{
    /// <summary>Incidents' web side: the sample options (<c>ModelOps:Incidents</c>) and the report export.</summary>
    public static IServiceCollection AddModelOpsIncidents(this IServiceCollection services)
    {
        services.AddOptions<IncidentSampleOptions>().BindConfiguration(IncidentSampleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<IncidentReports>();
        services.AddScoped<IncidentViews>();
        return services;
    }
}
