using System;
using System.Management.Automation;
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
                    var connected = ContextStore.Get();
                    var options = new KlingClientOptions(new KlingApiKey(Plain(apiKey))) { BaseUri = connected?.Options.BaseUri ?? DefaultBaseUri() };
                    _ownConnection = new KlingConnection(options, "-ApiKey parameter");
                }
                return _ownConnection;
            }
            var context = ContextStore.Get();
            if (context != null) return context;
            var key = Environment.GetEnvironmentVariable(KeyVariable);
            if (!string.IsNullOrWhiteSpace(key)) return ContextStore.FromEnvironment(key!, DefaultBaseUri());
            ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(Messages.NoApiKey), "NoApiKey", ErrorCategory.AuthenticationError, null));
            throw new InvalidOperationException(); // not reached: ThrowTerminatingError always throws
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
