namespace ModelOps.Web.Hosting;

/// <summary>Readiness of the process: set once migrations and seeding have finished.</summary>
public sealed class StartupState
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;
}
