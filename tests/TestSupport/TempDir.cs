namespace FacilityHub.TestSupport;

public sealed class TempDir : IDisposable
{
    public TempDir(string prefix) =>
        Path = Directory.CreateTempSubdirectory($"fh-{prefix}-").FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server that has not fully exited may still hold a file; the OS temp cleaner gets it.
        }
    }
}
