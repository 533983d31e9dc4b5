using System.Reflection;

namespace KlingPS.Tests.Support;

/// <summary>Where the tests find the repository and the module folder that the build of this configuration laid out.</summary>
internal static class Repository
{
    /// <summary>The folder that holds KlingPS.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// out/KlingPS for Release, out/Debug/KlingPS for Debug (Directory.Build.props, KlingModuleDir), as written into
    /// this assembly by its own build: a test never reads a module that another configuration built.
    /// </summary>
    public static string ModuleFolder { get; } = Path.TrimEndingDirectorySeparator(Path.GetFullPath(
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "KlingModuleDir").Value!
            .Replace('\\', Path.DirectorySeparatorChar)));

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "KlingPS.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("KlingPS.sln above " + AppContext.BaseDirectory);
    }
}
