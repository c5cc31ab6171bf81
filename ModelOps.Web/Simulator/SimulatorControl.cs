using ModelOps.Core.Audit;

namespace ModelOps.Web.Simulator;

/// <summary>
/// Starting or stopping demo traffic together with its audit row, so the API and the console
/// leave the same trail. Scoped like the <see cref="AuditTrail"/> it writes through.
/// </summary>
public sealed class SimulatorControl(TrafficSimulator simulator, AuditTrail trail)
{
    public async Task<SimulatorStatus> StartAsync(string actor, double? requestsPerSecond, CancellationToken cancellationToken)
    {
        simulator.Start(requestsPerSecond);
        await trail.AppendAsync(new AuditRecord(actor, "simulator.started", "simulator", new { simulator.Status.RequestsPerSecond }), cancellationToken);
        return simulator.Status;
    }

    public async Task<SimulatorStatus> StopAsync(string actor, CancellationToken cancellationToken)
    {
        simulator.Stop();
        await trail.AppendAsync(new AuditRecord(actor, "simulator.stopped", "simulator"), cancellationToken);
        return simulator.Status;
    }
}
