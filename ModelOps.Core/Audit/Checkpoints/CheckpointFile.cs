using System.Text;

namespace ModelOps.Core.Audit.Checkpoints;

/// <summary>
/// The append-only checkpoint file (JSON Lines) outside the database (a DI singleton). Reads and
/// appends are serialised in this process, so a reader never sees a line being written.
/// </summary>
public sealed class CheckpointFile(string path) : IDisposable
{
    private const int TailChunk = 4096;

    private readonly SemaphoreSlim _lock = new(1, 1);

    public string Path { get; } = path;

    public async Task<CheckpointFileContents> ReadAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            return File.Exists(Path)
                ? CheckpointFileContents.Parse(await File.ReadAllBytesAsync(Path, cancellationToken))
                : CheckpointFileContents.Empty;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Appends one line and flushes it to disk. A torn tail left by a crash is cut first, so the
    /// new line starts on a line of its own. Returns how many torn bytes were cut.
    /// </summary>
    public async Task<long> AppendAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var line = Encoding.UTF8.GetBytes(CheckpointJson.Serialize(checkpoint) + "\n");
        await _lock.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!); // A full path always has a directory.
            await using var stream = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            var cut = await CutTornTailAsync(stream, cancellationToken);
            stream.Seek(0, SeekOrigin.End);
            // Once started, the line is written whole: a cancelled half-line would be a torn tail.
            await stream.WriteAsync(line, CancellationToken.None);
            stream.Flush(flushToDisk: true);
            return cut;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();

    private static async Task<long> CutTornTailAsync(FileStream stream, CancellationToken cancellationToken)
    {
        var length = stream.Length;
        var buffer = new byte[TailChunk];
        var position = length;
        while (position > 0)
        {
            var count = (int)Math.Min(TailChunk, position);
            position -= count;
            stream.Seek(position, SeekOrigin.Begin);
            await stream.ReadExactlyAsync(buffer.AsMemory(0, count), cancellationToken);
            var newline = buffer.AsSpan(0, count).LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                var end = position + newline + 1;
                stream.SetLength(end);
                return length - end;
            }
        }

        stream.SetLength(0);
        return length;
    }
}
