using System.Globalization;

namespace ModelOps.Core.Audit.Checkpoints;

/// <summary>
/// Checks the checkpoint file on its own: each line is signed by this server's key, links to the
/// previous signed line (<c>prevCheckpointHash</c>), and never moves the anchored head backwards
/// or to another hash at the same <c>seq</c>. A removed, reordered, inserted or edited line
/// breaks one of these. A torn tail is reported but is no failure.
/// </summary>
public static class CheckpointChainCheck
{
    private const int ProblemsShown = 5;

    public static CheckpointFileCheck Run(CheckpointFileContents contents, CheckpointVerifier verifier)
    {
        var problems = new List<string>();
        var prevHash = CheckpointPayload.Genesis;
        AuditCheckpoint? previous = null;
        AuditCheckpoint? anchor = null;
        var count = 0;
        foreach (var line in contents.Lines)
        {
            if (line.Checkpoint is not { } checkpoint)
            {
                problems.Add($"line {line.Number}: {line.Problem}");
                continue;
            }

            if (!verifier.Verifies(checkpoint))
            {
                problems.Add($"line {line.Number}: its signature does not verify under this server's key (forged or edited)");
                continue;
            }

            if (checkpoint.PrevCheckpointHash != prevHash)
            {
                problems.Add($"line {line.Number}: prevCheckpointHash does not match the checkpoint before it (a line was removed, reordered or inserted)");
            }

            if (previous is not null && (checkpoint.Seq < previous.Seq || (checkpoint.Seq == previous.Seq && checkpoint.HeadHash != previous.HeadHash)))
            {
                problems.Add($"line {line.Number}: anchors seq {checkpoint.Seq} with another head than the checkpoint before it (seq {previous.Seq})");
            }

            count++;
            prevHash = checkpoint.Hash();
            previous = checkpoint;
            if (anchor is null || checkpoint.Seq >= anchor.Seq)
            {
                anchor = checkpoint;
            }
        }

        var report = new CheckpointReport(count, problems.Count == 0, Describe(count, problems, contents.TornTailBytes));
        return new CheckpointFileCheck(report, anchor, prevHash);
    }

    private static string Describe(int count, List<string> problems, int tornTailBytes)
    {
        var text = problems.Count == 0
            ? count == 0 ? "No checkpoints yet." : string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? "checkpoint" : "checkpoints")}; every signature and link verifies.")
            : string.Join("; ", problems.Take(ProblemsShown)) + (problems.Count > ProblemsShown ? $"; and {problems.Count - ProblemsShown} more problems." : ".");
        return tornTailBytes == 0
            ? text
            : string.Create(CultureInfo.InvariantCulture, $"{text} An incomplete last line ({tornTailBytes} bytes, an append cut short by a crash) was ignored.");
    }
}
