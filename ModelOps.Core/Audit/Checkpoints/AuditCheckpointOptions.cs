using System.ComponentModel.DataAnnotations;

namespace ModelOps.Core.Audit.Checkpoints;

/// <summary>The <c>ModelOps:Audit</c> section: where checkpoints and their key live, and how often.</summary>
public sealed class AuditCheckpointOptions
{
    public const string Section = "ModelOps:Audit";

    /// <summary>How often the head is checkpointed when it moved; a cut is provable for rows older than this.</summary>
    [Range(1, 86_400)]
    public int CheckpointIntervalSeconds { get; set; } = 60;

    /// <summary>Default <c>&lt;data&gt;/audit/checkpoints.jsonl</c>.</summary>
    public string? CheckpointFile { get; set; }

    /// <summary>Default <c>&lt;data&gt;/keys/audit-checkpoint.pem</c>, beside the data-protection keys.</summary>
    public string? SigningKeyFile { get; set; }

    public string ResolveCheckpointFile(ModelOpsOptions root) =>
        Path.GetFullPath(CheckpointFile ?? Path.Combine(root.ResolveDataDirectory(), "audit", "checkpoints.jsonl"));

    public string ResolveSigningKeyFile(ModelOpsOptions root) =>
        Path.GetFullPath(SigningKeyFile ?? Path.Combine(root.ResolveDataDirectory(), "keys", "audit-checkpoint.pem"));
}
