namespace KlingPS.Tests.Compatibility;

/// <summary>The module folder the build lays out (out/KlingPS), and private copies of it.</summary>
internal static class BuiltModule
{
    public static string Folder => Support.Repository.ModuleFolder;

    /// <summary>
    /// A copy of out/KlingPS in a fresh temporary folder, so that a build running at the same time (which
    /// replaces out/KlingPS) cannot pull files from under a test that loads them.
    /// </summary>
    public static string Copy()
    {
        var target = Path.Combine(Path.GetTempPath(), "klingps-tests", Guid.NewGuid().ToString("N"), "KlingPS");
        foreach (var file in Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }

    /// <summary>Deletes a copy (or any folder made beside one); on Windows, files still loaded stay until the process ends.</summary>
    public static void Delete(string copy)
    {
        try { Directory.Delete(Path.GetDirectoryName(copy)!, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
