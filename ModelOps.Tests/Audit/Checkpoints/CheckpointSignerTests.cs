using System.Security.Cryptography;
using System.Text;
using ModelOps.Core.Audit.Checkpoints;

namespace ModelOps.Tests.Audit.Checkpoints;

public sealed class CheckpointSignerTests : IDisposable
{
    private static readonly string HeadHash = new('a', 64);
    private static readonly DateTimeOffset At = new(2026, 11, 23, 12, 0, 0, 123, TimeSpan.Zero);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "modelops-signer", Guid.NewGuid().ToString("N"));
    private readonly CheckpointSigner _signer = CheckpointSigner.FromKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public void Dispose()
    {
        _signer.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Payload_Encode_IsTheDocumentedLinesWithoutTrailingNewline()
    {
        var payload = CheckpointPayload.Encode(42, HeadHash, At.ToOffset(TimeSpan.FromHours(2)), CheckpointPayload.Genesis);

        Assert.Equal($"modelops-audit-checkpoint/v1\n42\n{HeadHash}\n2026-11-23T12:00:00.123Z\n{CheckpointPayload.Genesis}", Encoding.UTF8.GetString(payload));
    }

    [Fact]
    public void Sign_OutsideWitnessRebuildsPayload_SignatureVerifiesAsP1363UnderPublishedKey()
    {
        var checkpoint = _signer.Sign(42, HeadHash, At, CheckpointPayload.Genesis);

        // What a witness with only the JSON fields and a crypto library does.
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(checkpoint.PublicKey!), out _);
        var payload = Encoding.UTF8.GetBytes($"modelops-audit-checkpoint/v1\n{checkpoint.Seq}\n{checkpoint.HeadHash}\n{CheckpointPayload.FormatTime(checkpoint.At)}\n{checkpoint.PrevCheckpointHash}");
        Assert.True(key.VerifyData(payload, Convert.FromBase64String(checkpoint.Signature), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Theory]
    [InlineData("seq")]
    [InlineData("headHash")]
    [InlineData("at")]
    [InlineData("prevCheckpointHash")]
    [InlineData("signature")]
    public void Verify_OneFieldAltered_Fails(string field)
    {
        var signed = _signer.Sign(42, HeadHash, At, CheckpointPayload.Genesis);
        var altered = field switch
        {
            "seq" => signed with { Seq = 41 },
            "headHash" => signed with { HeadHash = new string('b', 64) },
            "at" => signed with { At = At.AddMilliseconds(1) },
            "prevCheckpointHash" => signed with { PrevCheckpointHash = new string('c', 64) },
            _ => signed with { Signature = Convert.ToBase64String(new byte[64]) },
        };
        using var verifier = _signer.Verifier();

        Assert.True(verifier.Verifies(signed));
        Assert.False(verifier.Verifies(altered));
    }

    [Fact]
    public void Verify_SignedByAnotherKeyWithItsOwnPublicKey_Fails()
    {
        using var other = CheckpointSigner.FromKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var forged = other.Sign(42, HeadHash, At, CheckpointPayload.Genesis);
        using var verifier = _signer.Verifier();

        Assert.False(verifier.Verifies(forged));
    }

    [Fact]
    public void FromKey_NotP256_IsRefused()
    {
        Assert.Throws<InvalidOperationException>(() => CheckpointSigner.FromKey(ECDsa.Create(ECCurve.NamedCurves.nistP384)));
    }

    [Fact]
    public void LoadOrCreate_FirstStartThenRestart_CreatesOwnerOnlyPemAndReusesIt()
    {
        var path = Path.Combine(_directory, "keys", "audit-checkpoint.pem");

        string first, second;
        using (var created = CheckpointSigner.LoadOrCreate(path))
        {
            first = created.PublicKey;
        }

        using (var reloaded = CheckpointSigner.LoadOrCreate(path))
        {
            second = reloaded.PublicKey;
        }

        Assert.Equal(first, second);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }
}
