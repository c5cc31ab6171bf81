using System.Security.Cryptography;

namespace ModelOps.Core.Audit.Checkpoints;

/// <summary>
/// Checks checkpoint signatures against one public key. A checkpoint's own
/// <see cref="AuditCheckpoint.PublicKey"/> is never used: a forger would simply put theirs there.
/// </summary>
public sealed class CheckpointVerifier : IDisposable
{
    private const int P1363SignatureBytes = 64;

    private readonly ECDsa _key;

    private CheckpointVerifier(ECDsa key) => _key = key;

    public static CheckpointVerifier FromPublicKey(byte[] subjectPublicKeyInfo)
    {
        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        return new CheckpointVerifier(key);
    }

    public bool Verifies(AuditCheckpoint checkpoint)
    {
        Span<byte> signature = stackalloc byte[P1363SignatureBytes + 3];
        return Convert.TryFromBase64String(checkpoint.Signature, signature, out var length)
            && length == P1363SignatureBytes
            && _key.VerifyData(
                checkpoint.Payload(),
                signature[..length],
                HashAlgorithmName.SHA256,
                DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public void Dispose() => _key.Dispose();
}
