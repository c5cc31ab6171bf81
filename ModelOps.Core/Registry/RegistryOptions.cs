using System.ComponentModel.DataAnnotations;

namespace ModelOps.Core.Registry;

/// <summary>The <c>ModelOps:Registry</c> section.</summary>
public sealed class RegistryOptions
{
    public const string Section = "ModelOps:Registry";

    /// <summary>Uploads larger than this are refused with 413.</summary>
    [Range(1, long.MaxValue)]
    public long MaxArtifactBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// Validate uploads by loading them in ONNX Runtime in a short-lived child process, so the
    /// console's memory does not grow by ~2x the artifact and a hostile file cannot crash it.
    /// </summary>
    public bool IsolateValidation { get; set; } = true;

    /// <summary>
    /// Where artifacts are stored; empty means <c>&lt;data&gt;/artifacts</c>. Replicas sharing one
    /// PostgreSQL database must share this folder too (a network file system or a volume every
    /// replica mounts): the registry's rows name blobs any replica may have to load.
    /// </summary>
    public string? ArtifactDirectory { get; set; }

    /// <summary>How long the validation load may take before the upload is refused.</summary>
    [Range(1, 3_600)]
    public int ValidationTimeoutSeconds { get; set; } = 120;
}
