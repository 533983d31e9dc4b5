using System;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Client;

namespace KlingPS.Infrastructure
{
    /// <summary>
    /// What every KlingPS cmdlet shares: finding the connection (-ApiKey, Connect-Kling, COMETAPI_KEY),
    /// cancellation tied to Ctrl+C, the pump that writes background results on the pipeline thread, error
    /// records built the same way everywhere, and the end of background work before anything it uses is disposed.
    /// </summary>
    public abstract class KlingCmdlet : PSCmdlet, IDisposable
    {
        internal const string KeyVariable = "COMETAPI_KEY";
        /// <summary>What Get-Help -Online opens: the cmdlets of the project's README.</summary>
        internal const string HelpUri = "https://github.com/klingps/KlingPS/blob/main/README.md#cmdlets";
        internal const string EnvironmentKeySource = "COMETAPI_KEY environment variable";
        internal const string BaseUriVariable = "KLINGPS_BASE_URI";

        /// <summary>How long a stopped (or failed) command waits for its background work to see the cancellation.</summary>
        private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(3);

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private KlingConnection? _ownConnection;

        internal PipelinePump Pump { get; } = new PipelinePump();

        /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing).</summary>
        protected CancellationToken StopToken => _stopping.Token;

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>The connection this command uses: its own -ApiKey, else Connect-Kling's, else COMETAPI_KEY.</summary>
        internal KlingConnection ResolveConnection(SecureString? apiKey)
        {
            if (apiKey != null)
            {
                if (_ownConnection == null)
                {
                    var own = ApiKeyFrom(Plain(apiKey), "-ApiKey parameter");
                    var options = ContextStore.Get()?.Options.WithKey(own) ?? new KlingClientOptions(own) { BaseUri = DefaultBaseUri() };
                    _ownConnection = new KlingConnection(options, "-ApiKey parameter");
                }
                return _ownConnection;
            }
            var context = ContextStore.Get();
            if (context != null) return context;
            var key = Environment.GetEnvironmentVariable(KeyVariable);
            if (!string.IsNullOrWhiteSpace(key)) return ContextStore.FromEnvironment(ApiKeyFrom(key!, EnvironmentKeySource), DefaultBaseUri());
            ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(Messages.NoApiKey), "NoApiKey", ErrorCategory.AuthenticationError, null));
            throw new InvalidOperationException(); // not reached: ThrowTerminatingError always throws
        }

        /// <summary>
        /// The key given from <paramref name="source"/>, or a terminating InvalidApiKey error that says what is wrong with it
        /// and where it came from, never the key itself; nothing has been sent.
        /// </summary>
        internal KlingApiKey ApiKeyFrom(string value, string source)
        {
            try
            {
                return new KlingApiKey(value);
            }
            catch (ArgumentException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, "InvalidApiKey", ErrorCategory.InvalidArgument, null)
                { ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = Messages.FixApiKey(source) } });
                throw; // not reached: ThrowTerminatingError always throws
            }
        }

        internal static Uri DefaultBaseUri()
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(BaseUriVariable);
            return !string.IsNullOrWhiteSpace(fromEnvironment) && Uri.TryCreate(fromEnvironment, UriKind.Absolute, out var uri) ? uri : KlingClientOptions.DefaultBaseUri;
        }

        /// <summary>Verbose lines and warnings from background threads, written when the pump drains.</summary>
        internal KlingCallOptions CallOptions(int? maximumRetryCount = null, int? retryIntervalSec = null) => new KlingCallOptions
        {
            Verbose = message => Pump.Post(() => WriteVerbose(message)),
            Warning = message => Pump.Post(() => WriteWarning(message)),
            MaximumRetryCount = maximumRetryCount,
            RetryInterval = retryIntervalSec.HasValue ? TimeSpan.FromSeconds(retryIntervalSec.Value) : (TimeSpan?)null,
        };

        /// <summary>A non-terminating error for one pipeline item, with a stable id, a category and the item as target.</summary>
        internal void WriteItemError(Exception e, object? target)
        {
            WriteError(ErrorRecords.From(e, target));
        }

        internal static string Plain(SecureString secure)
        {
            var ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return Marshal.PtrToStringUni(ptr) ?? string.Empty;
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }

        /// <summary>
        /// Ends this command's background work before what it uses is disposed: cancels it, then waits a bounded time for it to
        /// see that (a journal record being written, a temporary file being removed). Work that has ended costs nothing here.
        /// </summary>
        protected void EndWork(Task? work)
        {
            _stopping.Cancel();
            if (work == null) return;
            try
            {
                work.Wait(StopGrace);
            }
            catch (AggregateException)
            {
                // Its failures were reported as they came, or no longer matter once the command stopped.
            }
        }

        /// <summary>
        /// Warns of paid work a command leaves running at the service when it did not finish (<see cref="PaidWork"/>). Called
        /// from Dispose, after the background work has ended. A stopped pipeline refuses every write (WriteWarning throws
        /// PipelineStoppedException once Ctrl+C was pressed), so the warning goes through the host's user interface: a console
        /// shows it as "WARNING: ..." (and a transcript keeps it), a runspace without one collects it in its Warning stream.
        /// </summary>
        internal void WarnOfPaidWork(PaidWork work, string? journalPath)
        {
            foreach (var warning in work.Warnings(journalPath))
            {
                try
                {
                    Host.UI.WriteWarningLine(warning);
                }
                catch (Exception e) when (e is HostException || e is NotImplementedException)
                {
                    return; // a host that cannot show it; Dispose must not fail
                }
            }
        }

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        /// <summary>Commands that own a journal, a submitter, a waiter or a saver override this, and call <see cref="EndWork"/> first.</summary>
        protected virtual void Dispose(bool disposing)
        {
            if (!disposing) return;
            _stopping.Cancel();
            Pump.Dispose();
            _ownConnection?.Dispose();
            _stopping.Dispose();
        }
    }
}
