using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// The inference log's write-ahead journal: every queued write is appended to a segment file
/// (one <c>pwrite</c>, no user-space buffer) before the request is answered, so an answered
/// request survives a killed process in the page cache, and is replayed into the database at the
/// next start (<see cref="InferenceLogReplay"/>).
/// <para>
/// Segments are files <c>NNNNNNNNNNNN.journal</c> in one directory. The active one rotates once
/// it exceeds the segment size; <see cref="Release"/> deletes the closed segments the database
/// now holds and truncates the active one when all of it is persisted, so the journal holds about
/// what the queue holds. Segments present when the journal opened belong to an earlier process:
/// they are <see cref="Leftovers"/>, never appended to or deleted here.
/// </para>
/// <para>
/// Invariant: <see cref="Append"/> runs the admission (the queue write) and the file write under
/// one lock, so the queue's order is the journal's order, and a released position covers every
/// earlier frame. A power loss can still lose what the kernel had not written back: at most
/// <see cref="InferenceLogOptions.JournalFsyncIntervalMs"/> of answered requests when that is set.
/// </para>
/// </summary>
public sealed partial class InferenceLogJournal : IDisposable
{
    public const string Extension = ".journal";

    private readonly Lock _gate = new();
    private readonly JournalCodec _codec = new();
    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly bool _syncOnRotate;
    private readonly List<long> _closed = [];
    private SafeFileHandle _active;
    private long _activeNumber;
    private long _length;
    private bool _dirty;
    private long _failures;
    private bool _disposed;

    private InferenceLogJournal(string directory, long segmentBytes, bool syncOnRotate, IReadOnlyList<string> leftovers, long nextNumber)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _syncOnRotate = syncOnRotate;
        Leftovers = leftovers;
        _activeNumber = nextNumber;
        _active = Create(nextNumber);
    }

    /// <summary>Segment files an earlier process left, oldest first: replay them, then <see cref="DeleteLeftover"/>.</summary>
    public IReadOnlyList<string> Leftovers { get; }

    /// <summary>Appends that failed (disk full, I/O error): those records are queued but not journaled.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public string Directory => _directory;

    /// <summary>Opens the journal in <paramref name="directory"/>, starting a new segment after any left there.</summary>
    public static InferenceLogJournal Open(string directory, long segmentBytes, bool syncOnRotate)
    {
        System.IO.Directory.CreateDirectory(directory);
        var leftovers = System.IO.Directory.GetFiles(directory, "*" + Extension)
            .Select(path => (Path: path, Number: NumberOf(path)))
            .Where(s => s.Number >= 0)
            .OrderBy(s => s.Number)
            .ToList();
        var next = leftovers.Count == 0 ? 1 : leftovers[^1].Number + 1;
        return new InferenceLogJournal(directory, segmentBytes, syncOnRotate, [.. leftovers.Select(s => s.Path)], next);
    }

    /// <summary>
    /// Encodes <paramref name="item"/>, offers it with its journal position to
    /// <paramref name="admit"/>, and writes it to the journal only when admitted. An I/O failure is
    /// counted in <see cref="Failures"/> and returned as false in <paramref name="journaled"/>;
    /// it never throws, because the request has been served either way.
    /// </summary>
    internal bool Append(LogItem item, Func<LogItem, bool> admit, out bool journaled)
    {
        lock (_gate)
        {
            journaled = false;
            if (_disposed)
            {
                return admit(item);
            }

            var frame = _codec.Encode(item);
            if (_length > 0 && _length + frame.Length > _segmentBytes)
            {
                Rotate();
            }

            if (!admit(item with { Segment = _activeNumber, End = _length + frame.Length }))
            {
                return false;
            }

            try
            {
                RandomAccess.Write(_active, frame, _length);
                _length += frame.Length;
                _dirty = true;
                journaled = true;
            }
            catch (IOException)
            {
                // The frame may be partly written: the next append overwrites it at the same offset.
                Interlocked.Increment(ref _failures);
            }

            return true;
        }
    }

    /// <summary>
    /// The database holds every item up to and including the one at this position: closed
    /// segments before it are deleted, and the active one is truncated if nothing follows it.
    /// </summary>
    internal void Release(long segment, long end)
    {
        lock (_gate)
        {
            for (var i = _closed.Count - 1; i >= 0; i--)
            {
                if (_closed[i] < segment)
                {
                    File.Delete(PathOf(_closed[i]));
                    _closed.RemoveAt(i);
                }
            }

            if (!_disposed && segment == _activeNumber && end == _length)
            {
                RandomAccess.SetLength(_active, 0);
                _length = 0;
            }
        }
    }

    /// <summary>fsync of the active segment if it was written since the last one; outside the lock, so appends go on meanwhile.</summary>
    public void FlushToDisk()
    {
        SafeFileHandle handle;
        var added = false;
        lock (_gate)
        {
            if (!_dirty || _disposed)
            {
                return;
            }

            handle = _active;
            _dirty = false;
            // Keeps the descriptor open even if a rotation closes the handle during the fsync.
            handle.DangerousAddRef(ref added);
        }

        try
        {
            RandomAccess.FlushToDisk(handle);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    public static void DeleteLeftover(string path) => File.Delete(path);

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _active.Dispose();
            // An empty active segment holds nothing to replay.
            if (_length == 0)
            {
                File.Delete(PathOf(_activeNumber));
            }
        }
    }

    private void Rotate()
    {
        if (_syncOnRotate && _dirty)
        {
            RandomAccess.FlushToDisk(_active);
        }

        _active.Dispose();
        _closed.Add(_activeNumber);
        _activeNumber++;
        _active = Create(_activeNumber);
        _length = 0;
        _dirty = false;
    }

    private SafeFileHandle Create(long number) =>
        File.OpenHandle(PathOf(number), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);

    private string PathOf(long number) =>
        Path.Combine(_directory, number.ToString("D12", CultureInfo.InvariantCulture) + Extension);

    private static long NumberOf(string path) =>
        long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : -1;
}
