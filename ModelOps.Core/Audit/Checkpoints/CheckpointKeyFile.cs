using System.Security.Cryptography;
using System.Text;

namespace ModelOps.Core.Audit.Checkpoints;

/// <summary>The signing key as a PKCS#8 PEM file, readable by its owner only where the OS allows.</summary>
internal static class CheckpointKeyFile
{
    public static ECDsa LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Create(path);
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes a temp file created with mode 600 (never readable by others, not even briefly),
    /// then renames it into place without overwriting: a crash leaves no half-written key, and
    /// when two processes race on first start both end up using the one that won.
    /// </summary>
    private static void Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!); // A full path always has a directory.
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(temp, options);
            stream.Write(Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
            stream.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created the key first; its key is the one in use.
            File.Delete(temp);
        }
    }
}
