using System.Management.Automation;
using System.Security;
using KlingPS.Core.Batch;
using KlingPS.Core.Client;
using KlingPS.Core.Errors;

namespace KlingPS.Infrastructure
{
    /// <summary>The parameters of every cmdlet that talks to the service: a key for this command only, and the retry settings.</summary>
    public abstract class ServiceCmdlet : KlingCmdlet
    {
        /// <summary>A CometAPI key for this command only, instead of Connect-Kling's or COMETAPI_KEY; Connect-Kling's address, proxy, request timeout and retry settings still apply.</summary>
        [Parameter]
        [PSDefaultValue(Help = "Connect-Kling's key, else the COMETAPI_KEY environment variable")]
        public SecureString? ApiKey { get; set; }

        /// <summary>How many times a failed request is retried (429, 5xx, timeouts, dropped connections); Connect-Kling's setting when omitted.</summary>
        [Parameter]
        [ValidateRange(0, 100)]
        [PSDefaultValue(Help = "Connect-Kling's setting (4 unless it was given another)")]
        public int? MaximumRetryCount { get; set; }

        /// <summary>The first delay between retries, in seconds; it doubles each time, with jitter. Connect-Kling's setting when omitted.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        [PSDefaultValue(Help = "Connect-Kling's setting (1 unless it was given another)")]
        public int? RetryIntervalSec { get; set; }

        /// <summary>The connection this command uses (its -ApiKey, Connect-Kling's, or COMETAPI_KEY).</summary>
        internal KlingConnection Connection => ResolveConnection(ApiKey);

        /// <summary>This command's retry settings and verbose output, for calls into the core.</summary>
        internal KlingCallOptions Call => CallOptions(MaximumRetryCount, RetryIntervalSec);

        /// <summary>
        /// Reads the journal at <paramref name="path"/> (-JournalPath of both ends of a batch); a file that is not one, or that
        /// stays locked, ends the command before anything is sent or saved.
        /// </summary>
        internal BatchJournal OpenJournal(string path)
        {
            try
            {
                return BatchJournal.Open(GetUnresolvedProviderPathFromPSPath(path));
            }
            catch (KlingApiException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, path));
                throw; // not reached: ThrowTerminatingError always throws
            }
        }
    }
}
