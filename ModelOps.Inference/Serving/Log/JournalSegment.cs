using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// One journal file, pre-sized and mapped shared into memory: an append is a copy into the
/// mapping, which is the kernel's page cache itself, so it survives the process being killed
/// without a system call per record (a <c>pwrite</c> per request cost ~9 % of HTTP serving
/// throughput here; the copy costs a few hundred nanoseconds). After each frame a zero length
/// header is written as terminator, so a replay stops at the last frame even when the segment
/// was reset and older frames lie beyond it. Not thread-safe: the journal's lock guards it.
/// </summary>
internal sealed class JournalSegment : IDisposable
{
    private const int TerminatorBytes = sizeof(int);

    private readonly SafeFileHandle _file;
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly long _capacity;

    private JournalSegment(long number, string path, SafeFileHandle file, long capacity)
    {
        Number = number;
        Path = path;
        _file = file;
        _capacity = capacity;
        _map = MemoryMappedFile.CreateFromFile(file, null, capacity, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
        _view = _map.CreateViewAccessor(0, capacity, MemoryMappedFileAccess.ReadWrite);
    }

    public long Number { get; }

    public string Path { get; }

    /// <summary>Bytes of frames since the segment was created or last reset.</summary>
    public long Length { get; private set; }

    /// <summary>Creates the file at <paramref name="capacity"/> bytes (sparse: untouched pages take no disk).</summary>
    public static JournalSegment Create(long number, string path, long capacity)
    {
        var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            RandomAccess.SetLength(file, capacity);
            return new JournalSegment(number, path, file, capacity);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public bool Fits(int frameBytes) => Length + frameBytes + TerminatorBytes <= _capacity;

    /// <summary>Copies the frame after the last one, then the terminator after it.</summary>
    public void Append(ReadOnlySpan<byte> frame)
    {
        var buffer = _view.SafeMemoryMappedViewHandle;
        buffer.WriteSpan((ulong)(Length + frame.Length), stackalloc byte[TerminatorBytes] { 0, 0, 0, 0 });
        buffer.WriteSpan((ulong)Length, frame);
        Length += frame.Length;
    }

    /// <summary>Everything in it is persisted: the next frame goes to the start, and a replay finds none before it.</summary>
    public void Reset()
    {
        Span<byte> terminator = stackalloc byte[TerminatorBytes];
        BinaryPrimitives.WriteInt32LittleEndian(terminator, 0);
        _view.SafeMemoryMappedViewHandle.WriteSpan(0, terminator);
        Length = 0;
    }

    /// <summary>fsync: the file's dirty pages, written through the mapping, reach the disk.</summary>
    public void FlushToDisk() => RandomAccess.FlushToDisk(_file);

    /// <summary>The descriptor, for a flush that runs outside the journal's lock (add a reference while using it).</summary>
    public SafeFileHandle Handle => _file;

    public void Dispose()
    {
        _view.Dispose();
        _map.Dispose();
        _file.Dispose();
    }
}
