namespace ModelOps.Core.Audit.Checkpoints;

/// <summary>
/// The checkpoint file split into lines. Every append ends with '\n', so bytes after the last
/// '\n' are an append a crash cut short: they are set aside in <see cref="TornTailBytes"/>,
/// never read as a checkpoint and never an error (the checkpoint they held was never acknowledged).
/// </summary>
public sealed record CheckpointFileContents(IReadOnlyList<CheckpointLine> Lines, int TornTailBytes)
{
    public static CheckpointFileContents Empty { get; } = new([], 0);

    public static CheckpointFileContents Parse(ReadOnlyMemory<byte> bytes)
    {
        var lines = new List<CheckpointLine>();
        var rest = bytes;
        var number = 0;
        int end;
        while ((end = rest.Span.IndexOf((byte)'\n')) >= 0)
        {
            number++;
            var line = rest[..end];
            rest = rest[(end + 1)..];
            if (line.IsEmpty)
            {
                lines.Add(new CheckpointLine(number, null, "empty line"));
                continue;
            }

            var parsed = CheckpointJson.Parse(line);
            lines.Add(parsed.IsSuccess
                ? new CheckpointLine(number, parsed.Value, null)
                : new CheckpointLine(number, null, $"not a checkpoint ({parsed.Error.Detail})"));
        }

        return new CheckpointFileContents(lines, rest.Length);
    }
}
