using System.Reflection;
using System.Runtime.Loader;
using KlingPS.Emulator;
using KlingPS.Infrastructure;

namespace KlingPS.Tests.Compatibility;

/// <summary>
/// The built module (a copy of out/KlingPS) loaded into a collectible load context of its own, the way
/// PowerShell 7 loads a module's assemblies, after an "other module" (Az.Accounts, Microsoft.Graph) loaded
/// its own System.Text.Json into a context of its own. It then validates, submits and reads back a task
/// against the emulator: its JSON really runs. Everything is reached by reflection, because the module's
/// types in that context are not the test's.
/// </summary>
public sealed class ModuleIsolationTests
{
    /// <summary>
    /// A dependency that only the module's dependencies/ holds. Its real ones are all in this process already, as in
    /// PowerShell 7.6 (the runtime and Microsoft.PowerShell.SDK bring System.Text.Json, Microsoft.Bcl.AsyncInterfaces and
    /// the rest), so the runtime would answer a request for any of them before the module's handler is asked.
    /// </summary>
    private const string ProbeDependency = "KlingPS.ResolverProbe, Version=1.0.0.0";

    [Fact]
    public async Task On_a_runtime_with_a_newer_System_Text_Json_the_module_uses_it_beside_another_modules_copy()
    {
        var module = BuiltModule.Copy();
        WriteProbeDependency(Path.Combine(module, "dependencies"));
        var other = OtherModule.Load();
        var host = new ModuleContext(module, runtimeJsonTooOld: false);
        try
        {
            host.Import();
            try
            {
                Assert.Equal("Succeeded", await SubmitAndReadBack(host));
                // PowerShell 7.4+: the runtime's System.Text.Json (8.0 or newer) serves KlingPS.Core.
                Assert.Same(typeof(System.Text.Json.JsonSerializer).Assembly, host.JsonOfCore());
                Assert.NotSame(other.Json, host.JsonOfCore());

                // A request nothing else can satisfy reaches the module's handler, which answers from its folder
                // into its own context.
                var probe = new AssemblyLoadContext("probe", isCollectible: true);
                var answered = probe.LoadFromAssemblyName(new AssemblyName(ProbeDependency));
                Assert.Equal(Path.Combine(module, "dependencies", "KlingPS.ResolverProbe.dll"), answered.Location);
                Assert.Equal("KlingPS", AssemblyLoadContext.GetLoadContext(answered)!.Name);
                probe.Unload();
            }
            finally
            {
                host.Remove();
            }
            // Remove-Module took the handler away: the same request now fails.
            var after = new AssemblyLoadContext("probe after Remove-Module", isCollectible: true);
            Assert.Throws<FileNotFoundException>(() => after.LoadFromAssemblyName(new AssemblyName(ProbeDependency)));
            after.Unload();
            Assert.Equal(other.Version, other.Json.GetName().Version);
        }
        finally
        {
            host.Unload();
            other.Context.Unload();
            BuiltModule.Delete(module);
            BuiltModule.Delete(Path.GetDirectoryName(other.Json.Location)!);
        }
    }

    [Fact]
    public async Task Where_the_runtime_has_no_System_Text_Json_new_enough_the_modules_own_copy_works_beside_two_others()
    {
        // As on Windows PowerShell, or PowerShell 7.2/7.3 (System.Text.Json 6.0/7.0): the module's copy in
        // dependencies/ serves it, while the runtime's and the other module's copies stay loaded and in use.
        var module = BuiltModule.Copy();
        var other = OtherModule.Load();
        var host = new ModuleContext(module, runtimeJsonTooOld: true);
        host.Import();
        try
        {
            Assert.Equal("Succeeded", await SubmitAndReadBack(host));
            var json = host.JsonOfCore();
            Assert.Equal(Path.Combine(module, "dependencies", "System.Text.Json.dll"), json.Location);
            Assert.Equal(new Version(8, 0, 0, 0), json.GetName().Version);
            Assert.NotSame(other.Json, json);
            Assert.NotSame(typeof(System.Text.Json.JsonSerializer).Assembly, json);
            Assert.Equal(other.Version, other.Json.GetName().Version);
            Assert.Equal("{\"a\":1}", System.Text.Json.JsonSerializer.Serialize(new { a = 1 }));
        }
        finally
        {
            host.Remove();
            host.Unload();
            other.Context.Unload();
            BuiltModule.Delete(module);
            BuiltModule.Delete(Path.GetDirectoryName(other.Json.Location)!);
        }
    }

    /// <summary>Writes the assembly <see cref="ProbeDependency"/> names (one empty type) into the folder.</summary>
    private static void WriteProbeDependency(string folder)
    {
        var name = new AssemblyName(ProbeDependency);
        var assembly = new System.Reflection.Emit.PersistedAssemblyBuilder(name, typeof(object).Assembly);
        assembly.DefineDynamicModule(name.Name!).DefineType("Probe", TypeAttributes.Public).CreateType();
        assembly.Save(Path.Combine(folder, name.Name + ".dll"));
    }

    /// <summary>Validates a URL request, submits it and queries the task until it is final; returns the final status.</summary>
    private static async Task<string> SubmitAndReadBack(ModuleContext host)
    {
        await using var emulator = await KlingEmulator.StartAsync(new EmulatorOptions
        {
            SubmittedTime = TimeSpan.FromMilliseconds(50),
            GenerationTime = TimeSpan.FromMilliseconds(200),
        });
        var core = host.LoadFromAssemblyPath(Path.Combine(host.ModuleFolder, "KlingPS.Core.dll"));
        Type T(string name) => core.GetType("KlingPS.Core." + name, throwOnError: true)!;
        object New(string name, params object?[] args) => Activator.CreateInstance(T(name), args)!;
        object? Get(object o, string property) => o.GetType().GetProperty(property)!.GetValue(o);

        var image = T("Models.KlingImage").GetMethod("FromUrl")!.Invoke(null, new object[] { new Uri("https://example.com/cat.png") });
        var request = New("Models.ImageVideoRequest", image);
        request.GetType().GetProperty("Prompt")!.SetValue(request, "the cat blinks");
        T("Validation.RequestValidator").GetMethod("Validate", new[] { T("Models.KlingVideoRequest") })!.Invoke(null, new[] { request });

        var options = New("Client.KlingClientOptions", New("Client.KlingApiKey", "test-key"));
        options.GetType().GetProperty("BaseUri")!.SetValue(options, emulator.BaseUri);
        using var client = (IDisposable)New("Client.KlingClient", options);
        var submit = (Task)client.GetType().GetMethod("SubmitAsync", new[] { T("Models.KlingVideoRequest"), T("Client.KlingCallOptions"), typeof(CancellationToken) })!
            .Invoke(client, new object?[] { request, null, CancellationToken.None })!;
        await submit;
        var task = Get(submit, "Result")!;
        Assert.StartsWith("klingps-", (string)Get(task, "ExternalTaskId")!);
        var getTask = client.GetType().GetMethod("GetTaskAsync")!;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(bool)Get(task, "IsFinal")! && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            var query = (Task)getTask.Invoke(client, new[] { Get(task, "Route"), Get(task, "TaskId"), null, CancellationToken.None })!;
            await query;
            task = Get(query, "Result")!;
        }
        Assert.Single(emulator.Log.Entries, e => e.Method == "POST" && e.Body != null && e.Body.Contains("\"prompt\":\"the cat blinks\"", StringComparison.Ordinal));
        return Get(task, "Status")!.ToString()!;
    }

    /// <summary>
    /// What PowerShell does for a module: its own assemblies come from its folder; everything else is left to the
    /// runtime, and what the runtime cannot bind goes to AssemblyResolve, where the module's handler answers.
    /// <paramref name="runtimeJsonTooOld"/> stands in for a runtime whose System.Text.Json and Encodings.Web are
    /// older than 8.0 (they ship together): those come from dependencies/ by the module's rule (PathFor).
    /// </summary>
    private sealed class ModuleContext(string moduleFolder, bool runtimeJsonTooOld) : AssemblyLoadContext("KlingPS test host", isCollectible: true)
    {
        private object? _lifetime;

        public string ModuleFolder { get; } = moduleFolder;

        /// <summary>Import-Module: loads the root module and calls its IModuleAssemblyInitializer.</summary>
        public void Import()
        {
            var kling = LoadFromAssemblyPath(Path.Combine(ModuleFolder, "KlingPS.dll"));
            _lifetime = Activator.CreateInstance(kling.GetType("KlingPS.Infrastructure.ModuleLifetime", throwOnError: true)!)!;
            _lifetime.GetType().GetMethod("OnImport")!.Invoke(_lifetime, null);
        }

        /// <summary>Remove-Module: calls its IModuleAssemblyCleanup.</summary>
        public void Remove() => _lifetime!.GetType().GetMethod("OnRemove")!.Invoke(_lifetime, new object?[] { null });

        public Assembly JsonOfCore() =>
            LoadFromAssemblyName(LoadFromAssemblyPath(Path.Combine(ModuleFolder, "KlingPS.Core.dll")).GetReferencedAssemblies().Single(a => a.Name == "System.Text.Json"));

        protected override Assembly? Load(AssemblyName name)
        {
            if (name.Name is "KlingPS" or "KlingPS.Core") return LoadFromAssemblyPath(Path.Combine(ModuleFolder, name.Name + ".dll"));
            if (runtimeJsonTooOld && name.Name is "System.Text.Json" or "System.Text.Encodings.Web")
                return LoadFromAssemblyPath(DependencyResolver.PathFor(ModuleFolder, name, null) ?? throw new FileNotFoundException(name.FullName));
            return null;
        }
    }

    /// <summary>
    /// Another module with its own System.Text.Json in a context of its own (as Az.Accounts does on PowerShell 7): a copy
    /// of the runtime's, in its own folder, so that the test is the same on every machine (tests/pester/Compatibility.Tests.ps1
    /// does it with another version, 9.0, which the test runner restores).
    /// </summary>
    private sealed record OtherModule(AssemblyLoadContext Context, Assembly Json, Version Version)
    {
        public static OtherModule Load()
        {
            var source = typeof(System.Text.Json.JsonSerializer).Assembly.Location;
            var folder = Path.Combine(Path.GetTempPath(), "klingps-tests", Guid.NewGuid().ToString("N"), "OtherModule");
            Directory.CreateDirectory(folder);
            var copy = Path.Combine(folder, "System.Text.Json.dll");
            File.Copy(source, copy);
            var context = new AssemblyLoadContext("other module", isCollectible: true);
            var json = context.LoadFromAssemblyPath(copy);
            var version = json.GetName().Version!;
            Assert.NotEqual(new Version(8, 0, 0, 0), version);
            // In use: a document parsed by that copy.
            var documentType = json.GetType("System.Text.Json.JsonDocument", throwOnError: true)!;
            var optionsType = json.GetType("System.Text.Json.JsonDocumentOptions", throwOnError: true)!;
            using var document = (IDisposable)documentType.GetMethod("Parse", new[] { typeof(string), optionsType })!
                .Invoke(null, new[] { "{\"a\":1}", Activator.CreateInstance(optionsType) })!;
            return new OtherModule(context, json, version);
        }
    }
}
