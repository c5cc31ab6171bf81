using System.Security.Cryptography;
using System.Text;
using ModelOps.Core.Audit.Checkpoints;

namespace ModelOps.Tests.Audit.Checkpoints;

public sealed class CheckpointFileTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly string _path = Path.Combine(Path.GetTempPath(), "modelops-checkpoint-file", Guid.NewGuid().ToString("N"), "checkpoints.jsonl");
    private readonly CheckpointSigner _signer = CheckpointSigner.FromKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
    private readonly CheckpointFile _file;

    public CheckpointFileTests() => _file = new CheckpointFile(_path);

    public void Dispose()
    {
        _file.Dispose();
        _signer.Dispose();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    [Fact]
    public async Task Append_ThenRead_RoundTripsEveryField()
    {
        var written = await AppendChainAsync(2);

        var contents = await _file.ReadAsync(CancellationToken.None);

        Assert.Equal(written, contents.Lines.Select(l => l.Checkpoint));
        Assert.Equal(0, contents.TornTailBytes);
    }

    [Fact]
    public async Task Check_IntactFile_IsValidAndAnchorsTheNewestHead()
    {
        var written = await AppendChainAsync(3);

        var check = await CheckAsync();

        Assert.Equal(new CheckpointReport(3, true, "3 checkpoints; every signature and link verifies."), check.Report);
        Assert.Equal(written[^1], check.Anchor);
    }

    [Fact]
    public async Task Read_TornLastLineFromCrashMidAppend_IsIgnoredAndReported()
    {
        var written = await AppendChainAsync(2);
        var torn = CheckpointJson.Serialize(_signer.Sign(9, Hash('9'), Start.AddMinutes(9), written[^1].Hash()))[..40];
        await File.AppendAllTextAsync(_path, torn);

        var check = await CheckAsync();

        Assert.True(check.Report.Valid);
        Assert.Equal(2, check.Report.Count);
        Assert.Contains("incomplete last line (40 bytes", check.Report.Detail, StringComparison.Ordinal);
        Assert.Equal(written[^1], check.Anchor);
    }

    [Fact]
    public async Task Append_AfterTornLastLine_CutsItAndStartsAFreshLine()
    {
        var written = await AppendChainAsync(1);
        await File.AppendAllTextAsync(_path, "{\"seq\":2,\"headH");

        var cut = await _file.AppendAsync(_signer.Sign(2, Hash('2'), Start.AddMinutes(2), written[0].Hash()), CancellationToken.None);

        Assert.Equal(15, cut);
        var check = await CheckAsync();
        Assert.Equal(new CheckpointReport(2, true, "2 checkpoints; every signature and link verifies."), check.Report);
    }

    [Fact]
    public async Task Check_LineRemovedFromMiddle_ReportsTheBrokenLink()
    {
        await AppendChainAsync(3);
        var lines = await File.ReadAllLinesAsync(_path);
        await File.WriteAllLinesAsync(_path, [lines[0], lines[2]]);

        var check = await CheckAsync();

        Assert.False(check.Report.Valid);
        Assert.Contains("line 2: prevCheckpointHash does not match", check.Report.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_LineWithAlteredSeq_ReportsItsSignatureAndKeepsTheLastAuthenticAnchor()
    {
        var written = await AppendChainAsync(2);
        var lines = await File.ReadAllLinesAsync(_path);
        await File.WriteAllLinesAsync(_path, [lines[0], lines[1].Replace("\"seq\":2", "\"seq\":20", StringComparison.Ordinal)]);

        var check = await CheckAsync();

        Assert.False(check.Report.Valid);
        Assert.Contains("line 2: its signature does not verify", check.Report.Detail, StringComparison.Ordinal);
        Assert.Equal(written[0], check.Anchor);
    }

    [Fact]
    public async Task Check_GarbageLine_ReportsItWithoutThrowing()
    {
        await AppendChainAsync(1);
        await File.AppendAllBytesAsync(_path, [0xff, 0xfe, (byte)'{', (byte)'\n']);

        var check = await CheckAsync();

        Assert.False(check.Report.Valid);
        Assert.Contains("line 2: not a checkpoint", check.Report.Detail, StringComparison.Ordinal);
    }

    private async Task<List<AuditCheckpoint>> AppendChainAsync(int count)
    {
        var written = new List<AuditCheckpoint>();
        var prev = CheckpointPayload.Genesis;
        for (var seq = 1; seq <= count; seq++)
        {
            var checkpoint = _signer.Sign(seq, Hash((char)('0' + seq)), Start.AddMinutes(seq), prev);
            await _file.AppendAsync(checkpoint, CancellationToken.None);
            written.Add(checkpoint);
            prev = checkpoint.Hash();
        }

        return written;
    }

    private async Task<CheckpointFileCheck> CheckAsync()
    {
        using var verifier = _signer.Verifier();
        return CheckpointChainCheck.Run(await _file.ReadAsync(CancellationToken.None), verifier);
    }

    private static string Hash(char digit) => new(digit, 64);
}
