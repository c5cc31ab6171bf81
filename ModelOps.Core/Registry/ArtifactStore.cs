using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ModelOps.Core.Common;

namespace ModelOps.Core.Registry;

/// <summary>
/// Content-addressed blobs under <c>&lt;data&gt;/artifacts/sha256/&lt;hex&gt;</c> (or
/// <c>ModelOps:Registry:ArtifactDirectory</c>, which replicas on one database share). An upload is
/// streamed to a temp file while hashed, fsynced, then renamed into place: a crash leaves at
/// most an orphan temp file, never a half blob at an address the database may point to.
/// A blob is never overwritten: the same address always means the same bytes.
/// </summary>
public sealed class ArtifactStore(IOptions<ModelOpsOptions> root, IOptions<RegistryOptions> options)
{
    private const int BufferSize = 81_920;

    private string Root => string.IsNullOrWhiteSpace(options.Value.ArtifactDirectory)
        ? Path.Combine(root.Value.ResolveDataDirectory(), "artifacts")
        : Path.GetFullPath(options.Value.ArtifactDirectory);

    public string PathOf(string digest) => Path.Combine(Root, "sha256", digest["sha256:".Length..]);

    public async Task<Result<StoredArtifact>> StoreAsync(Stream content, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxArtifactBytes;
        Directory.CreateDirectory(Path.Combine(Root, "tmp"));
        Directory.CreateDirectory(Path.Combine(Root, "sha256"));
        var temp = Path.Combine(Root, "tmp", Guid.NewGuid().ToString("N"));
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > limit)
                    {
                        return Error.TooLarge("artifact", $"The artifact exceeds the limit of {limit} bytes (ModelOps:Registry:MaxArtifactBytes).");
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                file.Flush(flushToDisk: true);
            }

            if (size == 0)
            {
                return Error.Invalid("artifact", "The artifact is empty; upload the .onnx file's bytes in the 'artifact' part.");
            }

            var digest = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
            var target = PathOf(digest);
            try
            {
                File.Move(temp, target, overwrite: false);
            }
            catch (IOException) when (File.Exists(target))
            {
                // Already stored (or a concurrent upload of the same bytes won): same address, same bytes.
            }

            return new StoredArtifact(digest, size, target);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
