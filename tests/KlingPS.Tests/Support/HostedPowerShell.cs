using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace KlingPS.Tests.Support;

/// <summary>What one script run in <see cref="HostedPowerShell"/> gave back, stream by stream.</summary>
public sealed record PowerShellRun(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<VerboseRecord> Verbose,
    IReadOnlyList<WarningRecord> Warnings,
    IReadOnlyList<ProgressRecord> Progress,
    Exception? Terminating)
{
    /// <summary>Whether the script ended with a terminating error (a throw, -ErrorAction Stop, or Stop()).</summary>
    public bool Threw => Terminating != null;

    /// <summary>The output objects that are a <typeparamref name="T"/> (unwrapped from their PSObject).</summary>
    public IReadOnlyList<T> Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>().ToList();

    /// <summary>Everything that went wrong, for an assertion's message.</summary>
    public string Describe() => string.Join(Environment.NewLine,
        Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e.Exception.Message}").Append(Terminating?.ToString()).OfType<string>());
}

/// <summary>
/// Real PowerShell (Microsoft.PowerShell.SDK) in this process: one runspace with the built module imported from
/// <see cref="Repository.ModuleFolder"/> the way a user imports it (Import-Module &lt;folder&gt;/KlingPS.psd1). Scripts run
/// in that runspace one after another, so a Connect-Kling in one run holds for the next, and each run gives back its
/// streams. Every wait has a time limit; Dispose stops what still runs, removes the module and closes the runspace.
/// </summary>
/// <remarks>
/// The manifest, format file, help and exports come from the module folder. Its two assemblies are already in this
/// process (the test project references them), and .NET binds the import to those copies: OpenAsync checks that they
/// are the very build the module folder holds.
/// </remarks>
public sealed class HostedPowerShell : IDisposable
{
    /// <summary>A script that exceeds this is stopped and reported as a timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    private readonly Runspace _runspace;
    private Running? _current;

    private HostedPowerShell(Runspace runspace) => _runspace = runspace;

    /// <summary>
    /// Opens a runspace and imports the module; with <paramref name="baseUri"/>, also connects to it with the emulator's
    /// key (Connect-Kling), with the shortest retry interval the cmdlet accepts. Without the key check: its query would be in
    /// every test's request log (ConnectTests test the check).
    /// </summary>
    public static async Task<HostedPowerShell> OpenAsync(Uri? baseUri = null, string key = "test-key")
    {
        var state = InitialSessionState.CreateDefault();
        // The machine's policy must not decide whether the module's format file loads (only Windows has policies).
        if (OperatingSystem.IsWindows()) state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        var session = new HostedPowerShell(runspace);
        try
        {
            await session.RunOrThrowAsync("param($Manifest) Import-Module -Name $Manifest -ErrorAction Stop",
                new() { ["Manifest"] = Path.Combine(Repository.ModuleFolder, "KlingPS.psd1") });
            var loaded = (await session.RunAsync("(Get-Module KlingPS).ImplementingAssembly; [KlingPS.Core.Models.KlingTask].Assembly")).Objects<Assembly>();
            if (!loaded.Select(a => a.GetName().Name).SequenceEqual(["KlingPS", "KlingPS.Core"]))
                throw new InvalidOperationException("The imported module's assemblies were not found: " + string.Join(", ", loaded));
            foreach (var assembly in loaded)
            {
                var file = Path.Combine(Repository.ModuleFolder, assembly.GetName().Name + ".dll");
                if (assembly.ManifestModule.ModuleVersionId != ModuleVersionId(file))
                    throw new InvalidOperationException($"PowerShell runs {assembly.Location}, which is not the build of {file}.");
            }
            if (baseUri != null)
            {
                await session.RunOrThrowAsync(
                    "param($Key, $BaseUri) Connect-Kling -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force) -BaseUri $BaseUri -RetryIntervalSec 1 -SkipKeyCheck",
                    new() { ["Key"] = key, ["BaseUri"] = baseUri });
            }
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Runs a script (declare its parameters with param(...)) and gives back its streams; stops it after <paramref name="timeout"/>.</summary>
    public async Task<PowerShellRun> RunAsync(string script, Dictionary<string, object?>? parameters = null, TimeSpan? timeout = null)
    {
        using var running = Start(script, parameters);
        return await running.WaitAsync(timeout ?? DefaultTimeout);
    }

    /// <summary>Starts a script and returns at once; the returned handle waits for it or stops it (what Ctrl+C does).</summary>
    public Running Start(string script, Dictionary<string, object?>? parameters = null)
    {
        if (_current is { IsCompleted: false }) throw new InvalidOperationException("A script is still running in this runspace.");
        var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        shell.AddScript(script);
        if (parameters != null) shell.AddParameters(parameters);
        _current = new Running(shell);
        return _current;
    }

    /// <summary>
    /// Stops a script still running (within a time limit), removes the module (its Remove-Module hook undoes what the
    /// import did to the process) and closes the runspace.
    /// </summary>
    public void Dispose()
    {
        _current?.Dispose();
        if (_current is null or { IsCompleted: true })
        {
            using var remove = Start("Remove-Module KlingPS -ErrorAction Ignore");
            try { remove.WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult(); }
            catch (TimeoutException) { } // Dispose must not throw; closing the runspace ends it
        }
        _runspace.Dispose();
    }

    private async Task RunOrThrowAsync(string script, Dictionary<string, object?> parameters)
    {
        var run = await RunAsync(script, parameters, TimeSpan.FromSeconds(60));
        if (run.Threw || run.Errors.Count > 0) throw new InvalidOperationException("Setting up PowerShell failed: " + run.Describe());
    }

    private static Guid ModuleVersionId(string assemblyFile)
    {
        using var pe = new PEReader(File.OpenRead(assemblyFile));
        var metadata = pe.GetMetadataReader();
        return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
    }

    /// <summary>A script started with <see cref="Start"/>.</summary>
    public sealed class Running : IDisposable
    {
        private readonly PowerShell _shell;
        private readonly PSDataCollection<PSObject> _output = new();
        private readonly Task _invocation;
        private bool _disposed;

        internal Running(PowerShell shell)
        {
            _shell = shell;
            _invocation = Task.Factory.FromAsync(shell.BeginInvoke<PSObject, PSObject>(null, _output), shell.EndInvoke);
        }

        public bool IsCompleted => _invocation.IsCompleted;

        /// <summary>Waits (30 s at most) for the moment to act on the running script; fails at once if it ended before then.</summary>
        public async Task UntilAsync(Func<bool> condition)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!condition())
            {
                if (IsCompleted) Assert.Fail("the script ended before the moment to stop it: " + Result().Describe());
                Assert.True(DateTime.UtcNow < deadline, "the moment to stop never came");
                await Task.Delay(20);
            }
        }

        /// <summary>Waits for the script to end; after <paramref name="timeout"/> stops it and throws a TimeoutException.</summary>
        public async Task<PowerShellRun> WaitAsync(TimeSpan timeout)
        {
            try
            {
                await _invocation.WaitAsync(timeout);
            }
            catch (TimeoutException) when (!_invocation.IsCompleted)
            {
                await StopAsync(TimeSpan.FromSeconds(10));
                throw new TimeoutException($"The script ran longer than {timeout}; it was stopped.");
            }
            catch (Exception)
            {
                // A terminating error: reported in the result, like the other streams.
            }
            return Result();
        }

        /// <summary>
        /// Stops the script as Ctrl+C does (each running cmdlet's StopProcessing) and waits at most <paramref name="limit"/>
        /// for it to end; returns how long that took. Throws a TimeoutException when it did not end in time.
        /// </summary>
        public async Task<TimeSpan> StopAsync(TimeSpan limit)
        {
            var watch = Stopwatch.StartNew();
            var stopping = Task.Factory.FromAsync(_shell.BeginStop(null, null), _shell.EndStop);
            try
            {
                await Task.WhenAll(stopping, _invocation).WaitAsync(limit);
            }
            catch (TimeoutException) when (!_invocation.IsCompleted)
            {
                throw new TimeoutException($"The script did not stop within {limit}.");
            }
            catch (Exception)
            {
                // PipelineStoppedException, or another terminating error: the script has ended either way.
            }
            return watch.Elapsed;
        }

        /// <summary>What the script wrote, and how it ended; read once it has ended (WaitAsync does).</summary>
        public PowerShellRun Result()
        {
            if (!IsCompleted) throw new InvalidOperationException("The script is still running.");
            var streams = _shell.Streams;
            var terminating = _invocation.IsFaulted ? _invocation.Exception!.GetBaseException() : null;
            return new PowerShellRun(
                Snapshot(_output), Snapshot(streams.Error), Snapshot(streams.Verbose), Snapshot(streams.Warning), Snapshot(streams.Progress), terminating);
        }

        private static List<T> Snapshot<T>(PSDataCollection<T> collection) => [.. collection];

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            if (!_invocation.IsCompleted)
            {
                try { StopAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult(); }
                catch (TimeoutException) { } // Dispose must not throw; the runspace's Dispose ends it
            }
            _shell.Dispose();
        }
    }
}
