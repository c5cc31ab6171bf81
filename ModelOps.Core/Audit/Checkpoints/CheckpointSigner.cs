using System.Security.Cryptography;

namespace ModelOps.Core.Audit.Checkpoints;

/// <summary>
/// Holds the checkpoint signing key (a DI singleton). The key lives in a file outside the
/// database, so whoever can rewrite the database cannot also sign a matching checkpoint.
/// Only <see cref="AuditCheckpointer"/> signs, under its lock, so the key is never used concurrently.
/// </summary>
public sealed class CheckpointSigner : IDisposable
{
    private readonly ECDsa _key;

    private CheckpointSigner(ECDsa key)
    {
        _key = key;
        PublicKeyDer = key.ExportSubjectPublicKeyInfo();
        PublicKey = Convert.ToBase64String(PublicKeyDer);
    }

    /// <summary>SubjectPublicKeyInfo (DER) of the key.</summary>
    public byte[] PublicKeyDer { get; }

    /// <summary>Base64 of <see cref="PublicKeyDer"/>, as checkpoints carry it.</summary>
    public string PublicKey { get; }

    /// <summary>Loads the PEM key at <paramref name="path"/>, creating it (mode 600) on first start.</summary>
    public static CheckpointSigner LoadOrCreate(string path) => FromKey(CheckpointKeyFile.LoadOrCreate(path));

    /// <summary>Takes ownership of <paramref name="key"/>, which must be a P-256 key.</summary>
    public static CheckpointSigner FromKey(ECDsa key)
    {
        if (key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            key.Dispose();
            throw new InvalidOperationException("The audit checkpoint key must be an ECDSA P-256 key.");
        }

        return new CheckpointSigner(key);
    }

    public AuditCheckpoint Sign(long seq, string headHash, DateTimeOffset at, string prevCheckpointHash)
    {
        at = CheckpointPayload.Truncate(at);
        var signature = _key.SignData(
            CheckpointPayload.Encode(seq, headHash, at, prevCheckpointHash),
            HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new AuditCheckpoint(seq, headHash, at, prevCheckpointHash, Convert.ToBase64String(signature), PublicKey);
    }

    /// <summary>A verifier for this signer's public key; the caller disposes it.</summary>
    public CheckpointVerifier Verifier() => CheckpointVerifier.FromPublicKey(PublicKeyDer);

    public void Dispose() => _key.Dispose();
}
