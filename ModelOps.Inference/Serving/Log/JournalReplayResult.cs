namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// What a replay found and wrote: records and feedback written are those the database did not
/// already hold; a torn segment ended on a frame cut short (a crash in the middle of its write).
/// </summary>
internal sealed record JournalReplayResult(int Segments = 0, int Read = 0, int Records = 0, int Feedback = 0, int TornSegments = 0);
