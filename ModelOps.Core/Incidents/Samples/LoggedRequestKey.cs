namespace ModelOps.Core.Incidents.Samples;

/// <summary>A logged request as sampling sees it: its row in the inference log and whether it failed (error or timeout).</summary>
public readonly record struct LoggedRequestKey(long LogId, bool Failed);
