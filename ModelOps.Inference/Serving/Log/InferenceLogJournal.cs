using System.Globalization;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// The inference log's write-ahead journal: every queued write is copied into a memory-mapped
/// segment file (<see cref="JournalSegment"/>: the page cache itself) before the request is
/// answered, so an answered request survives a killed process, and is replayed into the
/// database at the next start (<see cref="InferenceLogReplay"/>).
/// <para>
/// Segments are files <c>NNNNNNNNNNNN.journal</c> in one directory. A frame that does not fit
/// the active one starts the next; <see cref="Release"/> deletes the closed segments the
/// database now holds and resets the active one when all of it is persisted, so the journal
/// holds about what the queue holds. Segments present when the journal opened belong to an
/// earlier process: they are <see cref="Leftovers"/>, never appended to or deleted here.
/// </para>
/// <para>
/// Invariant: <see cref="Append"/> runs the admission (the queue write) and the copy under one
/// lock, so the queue's order is the journal's order, and a released position covers every
/// earlier frame. A power loss can still lose what the kernel had not written back: at most
/// <see cref="InferenceLogOptions.JournalFsyncIntervalMs"/> of answered requests when that is set.
/// </para>
/// </summary>
public sealed class InferenceLogJournal : IDisposable
{
    public const string Extension = ".journal";

    private readonly Lock _gate = new();
    private readonly JournalCodec _codec = new();
    private readonly long _segmentBytes;
    private readonly bool _periodicSync;
    private readonly List<(long Number, string Path)> _closed = [];
    private readonly List<JournalSegment> _unsynced = [];
    private JournalSegment _active;
    private bool _dirty;
    private long _failures;
    private bool _disposed;

    private InferenceLogJournal(string directory, long segmentBytes, bool periodicSync, IReadOnlyList<string> leftovers, long nextNumber)
    {
        Directory = directory;
        _segmentBytes = segmentBytes;
        _periodicSync = periodicSync;
        Leftovers = leftovers;
        _active = JournalSegment.Create(nextNumber, PathOf(nextNumber), segmentBytes);
    }

    /// <summary>Segment files an earlier process left, oldest first: replay them, then <see cref="DeleteLeftover"/>.</summary>
    public IReadOnlyList<string> Leftovers { get; }

    /// <summary>Appends that failed (disk full, I/O error): those records are queued but not journaled.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public string Directory { get; }

    /// <summary>
    /// Opens the journal in <paramref name="directory"/>, starting a new segment after any left
    /// there. With <paramref name="periodicSync"/>, segments rotated away stay open until the
    /// next <see cref="FlushToDisk"/> has synced them.
    /// </summary>
    public static InferenceLogJournal Open(string directory, long segmentBytes, bool periodicSync)
    {
        System.IO.Directory.CreateDirectory(directory);
        var leftovers = System.IO.Directory.GetFiles(directory, "*" + Extension)
            .Select(path => (Path: path, Number: NumberOf(path)))
            .Where(s => s.Number >= 0)
            .OrderBy(s => s.Number)
            .ToList();
        var next = leftovers.Count == 0 ? 1 : leftovers[^1].Number + 1;
        return new InferenceLogJournal(directory, segmentBytes, periodicSync, [.. leftovers.Select(s => s.Path)], next);
    }

    public static void DeleteLeftover(string path) => File.Delete(path);

    /// <summary>
    /// Encodes <paramref name="item"/>, offers it with its journal position to
    /// <paramref name="admit"/>, and copies it into the journal only when admitted. An I/O
    /// failure is counted in <see cref="Failures"/> and never thrown: the request was served either way.
    /// </summary>
    internal bool Append(LogItem item, Func<LogItem, bool> admit)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return admit(item);
            }

            var frame = _codec.Encode(item);
            try
            {
                if (!_active.Fits(frame.Length))
                {
                    Rotate(frame.Length);
                }
            }
            catch (IOException)
            {
                // No room for a new segment (disk full): the record still goes to the database.
                Interlocked.Increment(ref _failures);
                return admit(item);
            }

            if (!admit(item with { Segment = _active.Number, End = _active.Length + frame.Length }))
            {
                return false;
            }

            _active.Append(frame);
            _dirty = true;
            return true;
        }
    }

    /// <summary>
    /// The database holds every item up to and including the one at this position: closed
    /// segments before it are deleted, and the active one is reset if nothing follows it.
    /// </summary>
    internal void Release(long segment, long end)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            for (var i = _closed.Count - 1; i >= 0; i--)
            {
                if (_closed[i].Number < segment)
                {
                    // Deleting a file still mapped for its pending fsync is fine: the inode lives until closed.
                    File.Delete(_closed[i].Path);
                    _closed.RemoveAt(i);
                }
            }

            if (segment == _active.Number && end == _active.Length)
            {
                _active.Reset();
            }
        }
    }

    /// <summary>
    /// fsync of the active segment if it was written since the last one, and of the segments
    /// rotated away since; outside the lock, so appends go on meanwhile.
    /// </summary>
    public void FlushToDisk()
    {
        JournalSegment? active = null;
        JournalSegment[] rotated;
        var added = false;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            rotated = [.. _unsynced];
            _unsynced.Clear();
            if (_dirty)
            {
                active = _active;
                _dirty = false;
                // Keeps the descriptor open even if a rotation disposes the segment during the fsync.
                active.Handle.DangerousAddRef(ref added);
            }
        }

        try
        {
            foreach (var segment in rotated)
            {
                using (segment)
                {
                    segment.FlushToDisk();
                }
            }

            if (active is not null)
            {
                RandomAccess.FlushToDisk(active.Handle);
            }
        }
        finally
        {
            if (added)
            {
                active!.Handle.DangerousRelease();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var segment in _unsynced)
            {
                segment.Dispose();
            }

            _active.Dispose();
            // An empty active segment holds nothing to replay.
            if (_active.Length == 0)
            {
                File.Delete(_active.Path);
            }
        }
    }

    private void Rotate(int frameBytes)
    {
        var next = JournalSegment.Create(_active.Number + 1, PathOf(_active.Number + 1), Math.Max(_segmentBytes, frameBytes + 64L));
        _closed.Add((_active.Number, _active.Path));
        // Never an fsync under the lock (it would hold every request for a disk flush): the sync
        // loop flushes and closes the rotated segment.
        if (_periodicSync && _dirty)
        {
            _unsynced.Add(_active);
        }
        else
        {
            _active.Dispose();
        }

        _active = next;
        _dirty = false;
    }

    private string PathOf(long number) =>
        Path.Combine(Directory, number.ToString("D12", CultureInfo.InvariantCulture) + Extension);

    private static long NumberOf(string path) =>
        long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : -1;
}
