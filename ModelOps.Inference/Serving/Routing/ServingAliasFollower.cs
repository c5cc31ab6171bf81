using Microsoft.Extensions.Logging;
using ModelOps.Core.Registry;

namespace ModelOps.Inference.Serving.Routing;

/// <summary>Makes serving follow the <c>champion</c> alias after every committed alias move.</summary>
public sealed partial class ServingAliasFollower(TrafficRouter router, ILogger<ServingAliasFollower> logger) : IAliasFollower
{
    public async Task AliasMovedAsync(string model, string alias, int version, string actor, CancellationToken cancellationToken)
    {
        var followed = await router.FollowAliasAsync(model, alias, version, actor, cancellationToken);
        if (!followed.IsSuccess)
        {
            Log.FollowFailed(logger, model, alias, version, followed.Error.Detail);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Alias {Alias} of {Model} moved to v{Version} but serving could not follow: {Problem}")]
        public static partial void FollowFailed(ILogger logger, string model, string alias, int version, string problem);
    }
}
