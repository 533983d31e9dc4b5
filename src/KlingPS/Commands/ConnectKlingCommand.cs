using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Threading.Tasks;
using KlingPS.Core.Client;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;
using KlingPS.Infrastructure;

namespace KlingPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Sets the CometAPI key and service settings that KlingPS commands of this session use.</para>
    /// <para type="description">Checks the key with one free request (a query of a task that does not exist) and keeps the connection only if the service accepts the key: a wrong key is an AuthenticationError at once. -SkipKeyCheck connects without asking the service. The connection belongs to the current runspace only: two runbooks in one process never see each other's key. The key is kept out of every output: Get-KlingContext shows only its last four characters. Commands find a key in this order: their own -ApiKey, this connection, then the COMETAPI_KEY environment variable.</para>
    /// </summary>
    /// <example>
    ///   <code>Connect-Kling -ApiKey (Read-Host -AsSecureString 'CometAPI key')</code>
    ///   <para>Connects to CometAPI with a key typed at a prompt.</para>
    /// </example>
    /// <example>
    ///   <code>Connect-Kling -Credential (Get-AutomationPSCredential -Name 'CometAPI') -MaximumRetryCount 8</code>
    ///   <para>In an Azure Automation runbook: the credential's password is the key; retries are more patient.</para>
    /// </example>
    /// <example>
    ///   <code>Connect-Kling -ApiKey (ConvertTo-SecureString 'test-key' -AsPlainText -Force) -BaseUri http://127.0.0.1:5080/</code>
    ///   <para>Uses the local emulator instead of the real service (plain HTTP is accepted only on loopback).</para>
    /// </example>
    /// <example>
    ///   <code>Connect-Kling -ApiKey (Get-Secret -Name CometAPI) -SkipKeyCheck</code>
    ///   <para>Connects without asking the service, for a set-up that runs before the network is up; a wrong key then fails the first command that uses it.</para>
    /// </example>
    /// <seealso cref="GetKlingContextCommand"/>
    /// <seealso cref="DisconnectKlingCommand"/>
    /// <seealso cref="NewKlingImageVideoCommand"/>
    /// <seealso>about_KlingPS</seealso>
    [Cmdlet(VerbsCommunications.Connect, "Kling", HelpUri = HelpUri, DefaultParameterSetName = KeySet)]
    [OutputType(typeof(KlingContextInfo))]
    public sealed class ConnectKlingCommand : KlingCmdlet
    {
        private const string KeySet = "ApiKey";
        private const string CredentialSet = "Credential";

        /// <summary>The CometAPI key.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = KeySet)]
        public SecureString ApiKey { get; set; } = new SecureString();

        /// <summary>A credential whose password is the CometAPI key (the user name is ignored).</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Credential]
        public PSCredential Credential { get; set; } = PSCredential.Empty;

        /// <summary>The service root; https://api.cometapi.com/ by default. Plain http is accepted only for loopback addresses.</summary>
        [Parameter]
        [PSDefaultValue(Help = "https://api.cometapi.com/, or the KLINGPS_BASE_URI environment variable")]
        public Uri? BaseUri { get; set; }

        /// <summary>How many times a failed request is retried by default.</summary>
        [Parameter]
        [ValidateRange(0, 100)]
        [PSDefaultValue(Value = 4)]
        public int MaximumRetryCount { get; set; } = 4;

        /// <summary>The first delay between retries, in seconds; it doubles each time, with jitter.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        [PSDefaultValue(Value = 1)]
        public int RetryIntervalSec { get; set; } = 1;

        /// <summary>How long one request to the API may take, in seconds, its whole answer included; a request that takes longer counts as failed and is retried (-MaximumRetryCount). A video download instead fails when no byte arrives for this long.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int RequestTimeoutSec { get; set; } = 100;

        /// <summary>A proxy server; the system proxy is used when omitted.</summary>
        [Parameter]
        public Uri? Proxy { get; set; }

        /// <summary>Credentials for the proxy.</summary>
        [Parameter]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>Write the new connection out.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Connect without checking the key with the service: for an offline set-up, or a runbook that connects before the network is up. A wrong key then fails the first command that uses it.</summary>
        [Parameter]
        public SwitchParameter SkipKeyCheck { get; set; }

        /// <summary>The task the key check asks for: no task has this id, so a working key gets "not found" (404, 1203).</summary>
        private const string KeyCheckTaskId = "klingps-key-check";

        protected override void EndProcessing()
        {
            var source = ParameterSetName == CredentialSet ? "Connect-Kling -Credential" : "Connect-Kling -ApiKey";
            var key = ApiKeyFrom(ParameterSetName == CredentialSet ? Plain(Credential.Password) : Plain(ApiKey), source);
            KlingConnection connection;
            try
            {
                var options = new KlingClientOptions(key)
                {
                    BaseUri = BaseUri ?? DefaultBaseUri(),
                    MaximumRetryCount = MaximumRetryCount,
                    RetryInterval = TimeSpan.FromSeconds(RetryIntervalSec),
                    RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSec),
                };
                if (Proxy != null) options.Proxy = new WebProxy(Proxy) { Credentials = ProxyCredential?.GetNetworkCredential() };
                connection = new KlingConnection(options, source);
            }
            catch (ArgumentException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, "InvalidConnection", ErrorCategory.InvalidArgument, BaseUri));
                return;
            }
            var kept = false;
            try
            {
                if (!SkipKeyCheck) CheckKey(connection);
                ContextStore.Set(connection);
                kept = true;
            }
            finally
            {
                if (!kept) connection.Dispose();
            }
            WriteVerbose($"Connected to {connection.Describe().BaseUri} with key {connection.Options.ApiKey.Hint}.");
            if (PassThru) WriteObject(connection.Describe());
        }

        /// <summary>
        /// Asks for a task that does not exist: "not found" (or a task) means the service took the key. Anything else ends the
        /// command, and the connection is not kept: a wrong key (advice on where the key came from), or a service that
        /// cannot be reached or does not answer as the API does (advice to check -BaseUri and the network, or to skip the check).
        /// An account that cannot pay still has a working key: it is connected, with a warning.
        /// </summary>
        private void CheckKey(KlingConnection connection)
        {
            WriteVerbose($"Checking the key with {connection.Describe().BaseUri}: one query of a task that does not exist.");
            var query = Task.Run(() => connection.Client.GetTaskAsync(KlingRoute.ImageToVideo, KeyCheckTaskId, CallOptions(), StopToken));
            try
            {
                Pump.RunUntil(query, StopToken);
            }
            catch (KlingApiException e) when (e.Kind == KlingErrorKind.NotFound)
            {
                WriteVerbose("The service accepts the key.");
            }
            catch (KlingApiException e) when (e.Kind == KlingErrorKind.Account)
            {
                WriteWarning(e.Message + " " + Messages.RecommendedAction(e));
            }
            catch (KlingApiException e)
            {
                var record = ErrorRecords.From(e, connection.Describe().BaseUri);
                if (e.Kind != KlingErrorKind.Authentication)
                    record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = $"{record.ErrorDetails?.RecommendedAction} {Messages.SkipKeyCheck}".TrimStart() };
                ThrowTerminatingError(record);
            }
        }
    }
}
