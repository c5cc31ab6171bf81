namespace ModelOps.Inference.Serving.Sessions;

public enum SessionHealth
{
    /// <summary>Loaded and its last golden-input run gave finite outputs: routable.</summary>
    Healthy,

    /// <summary>Its last health check failed: reported and never routed to until a check passes.</summary>
    Unhealthy,

    /// <summary>No longer wanted: disposed as soon as the last request using it finishes.</summary>
    Retired,
}
