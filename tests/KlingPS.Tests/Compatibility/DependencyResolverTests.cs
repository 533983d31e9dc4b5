using System.Reflection;
using KlingPS.Infrastructure;

namespace KlingPS.Tests.Compatibility;

/// <summary>
/// What the module's AssemblyResolve handler answers (DependencyResolver.PathFor), against the real
/// dependencies/ folder of the built module: only KlingPS's own requests, only files of that folder, never a
/// lower version or another strong name.
/// </summary>
[Collection(Collection)]
public class DependencyResolverTests
{
    /// <summary>
    /// Alone: the registration count is the process's, and every hosted PowerShell (Cmdlets/) that imports the module
    /// counts in it until its Remove-Module.
    /// </summary>
    public const string Collection = "Dependency resolver registration";

    private const string Json8 = "System.Text.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51";

    private static readonly string Module = BuiltModule.Folder;
    private static readonly string Dependencies = Path.Combine(Module, "dependencies");

    private static string? PathFor(string requested, string? requester) =>
        DependencyResolver.PathFor(Module, new AssemblyName(requested), requester);

    public static IEnumerable<object?[]> OwnRequesters() => new[]
    {
        new object?[] { Path.Combine(Module, "KlingPS.Core.dll") },
        new object?[] { Path.Combine(Module, "KlingPS.dll") },
        new object?[] { Path.Combine(Dependencies, "System.Text.Json.dll") },
        // .NET Framework does not always name the requester; then the name alone decides.
        new object?[] { null },
    };

    [Theory]
    [MemberData(nameof(OwnRequesters))]
    public void Answers_the_modules_own_requests_from_its_dependencies_folder(string? requester)
    {
        Assert.Equal(Path.Combine(Dependencies, "System.Text.Json.dll"), PathFor(Json8, requester));
    }

    [Theory]
    [InlineData("/opt/microsoft/powershell/7/Modules/Az.Accounts/lib/Other.dll")]
    [InlineData("C:\\Program Files\\WindowsPowerShell\\Modules\\Microsoft.Graph.Authentication\\Other.dll")]
    [InlineData("")] // an assembly loaded from bytes or emitted
    public void Leaves_requests_of_other_assemblies_to_them(string requester)
    {
        Assert.Null(PathFor(Json8, requester));
    }

    [Fact]
    public void Does_not_answer_from_a_folder_that_merely_shares_the_modules_name()
    {
        var lookalike = Path.Combine(Path.GetDirectoryName(Module)!, "KlingPS.Other", "KlingPS.Core.dll");
        Assert.Null(PathFor(Json8, lookalike));
        Assert.Null(PathFor(Json8, Path.Combine(Dependencies, "sub", "System.Text.Json.dll")));
    }

    [Theory]
    [InlineData("System.Text.Json, Version=9.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")] // the folder holds 8.0.0.0
    [InlineData("System.Text.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken=0123456789abcdef")] // another strong name
    [InlineData("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed")] // not a dependency
    [InlineData("KlingPS.Core, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null")] // beside the module, not in dependencies/
    [InlineData("System.Text.Json.resources, Version=8.0.0.0, Culture=de, PublicKeyToken=cc7b13ffcd2ddd51")]
    public void Answers_only_with_a_file_of_that_name_strong_name_and_at_least_that_version(string requested)
    {
        Assert.Null(PathFor(requested, Path.Combine(Module, "KlingPS.Core.dll")));
    }

    [Fact]
    public void A_higher_version_in_the_folder_stands_in_for_a_lower_request_as_a_binding_redirect_would()
    {
        // System.Memory 4.0.1.2 asks for Unsafe 4.0.4.1; Windows PowerShell has no redirect to the 6.0.0.0 shipped.
        var path = PathFor("System.Runtime.CompilerServices.Unsafe, Version=4.0.4.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a",
            Path.Combine(Dependencies, "System.Memory.dll"));
        Assert.Equal(Path.Combine(Dependencies, "System.Runtime.CompilerServices.Unsafe.dll"), path);
        Assert.True(AssemblyName.GetAssemblyName(path!).Version >= new Version(6, 0));
    }

    [Fact]
    public void A_name_cannot_lead_out_of_the_folder()
    {
        // ../KlingPS.dll exists (the module itself), so only the name check keeps it out.
        Assert.True(File.Exists(Path.Combine(Dependencies, "..", "KlingPS.dll")));
        Assert.Null(DependencyResolver.PathFor(Module, new AssemblyName { Name = "../KlingPS" }, null));
        Assert.Null(DependencyResolver.PathFor(Module, new AssemblyName { Name = Path.Combine(Module, "KlingPS") }, null));
    }

    [Fact]
    public void Every_dependency_the_module_ships_is_answered_for_its_own_identity()
    {
        var files = Directory.GetFiles(Dependencies, "*.dll");
        Assert.Contains(files, f => Path.GetFileName(f) == "System.Text.Json.dll");
        foreach (var file in files)
            Assert.Equal(file, PathFor(AssemblyName.GetAssemblyName(file).FullName, Path.Combine(Module, "KlingPS.Core.dll")));
    }

    [Fact]
    public void The_handler_stays_while_any_import_remains_and_goes_with_the_last_Remove_Module()
    {
        // Each runspace that imports the module calls OnImport; Remove-Module in one must not disarm the others.
        var lifetime = new ModuleLifetime();
        Assert.False(DependencyResolver.IsRegistered);
        lifetime.OnImport();
        lifetime.OnImport();
        lifetime.OnRemove(null!);
        Assert.True(DependencyResolver.IsRegistered);
        lifetime.OnRemove(null!);
        Assert.False(DependencyResolver.IsRegistered);
        lifetime.OnRemove(null!); // an unmatched remove does not go below zero
        lifetime.OnImport();
        Assert.True(DependencyResolver.IsRegistered);
        lifetime.OnRemove(null!);
        Assert.False(DependencyResolver.IsRegistered);
    }
}

[CollectionDefinition(DependencyResolverTests.Collection, DisableParallelization = true)]
public sealed class DependencyResolverCollection;
