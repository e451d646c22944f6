using System.Reflection;

namespace FacilityHub.TestSupport;

public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built with; project processes are started from the same one.</summary>
    public static string Configuration { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string SampleRegistry => Path.Combine(Root, "config", "sites.hitachi.json");

    /// <summary>The built entry assembly of <c>src/{project}</c>, e.g. <c>Hub</c>.</summary>
    public static string ProjectDll(string project)
    {
        var path = Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", $"FacilityHub.{project}.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is not built; the test project must reference src/{project}", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FacilityHub.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"FacilityHub.sln not found above {AppContext.BaseDirectory}");
    }
}
