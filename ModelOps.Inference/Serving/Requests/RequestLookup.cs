using ModelOps.Core.Serving.Log;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Log;

namespace ModelOps.Inference.Serving.Requests;

/// <summary>
/// Finds an answered request by id: in the recent-request index first, else in the inference
/// log (older ids, or ids answered before a restart), which it then adds to the index.
/// </summary>
public sealed class RequestLookup(RecentRequests recent, InferenceLogReader logReader)
{
    public async Task<RequestRef?> FindAsync(string requestId, CancellationToken cancellationToken) =>
        recent.Find(requestId) ?? FromLog(await logReader.FindAsync(requestId, cancellationToken));

    private RequestRef? FromLog(InferenceLogEntry? entry)
    {
        // Shadow copies never get feedback: their answer was never shown.
        if (entry is not { Status: RequestStatusNames.Ok or RequestStatusNames.Fallback } || ArmNames.FromWire(entry.Arm) is not { } arm || arm == Arm.Shadow)
        {
            return null;
        }

        // The log keeps the calibrated score only, so an outcome this old does not train calibration.
        var found = new RequestRef(entry.RequestId, entry.Model, entry.Version, arm, null, entry.Region);
        recent.Add(found);
        return recent.Find(entry.RequestId);
    }
}
