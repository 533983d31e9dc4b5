using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using KlingPS.Core.Client;
using KlingPS.Core.Models;
using KlingPS.Infrastructure;

namespace KlingPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Sets the CometAPI key and service settings that KlingPS commands of this session use.</para>
    /// <para type="description">The connection belongs to the current runspace only: two runbooks in one process never see each other's key. The key is kept out of every output: Get-KlingContext shows only its last four characters. Commands find a key in this order: their own -ApiKey, this connection, then the COMETAPI_KEY environment variable.</para>
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
    [Cmdlet(VerbsCommunications.Connect, "Kling", DefaultParameterSetName = KeySet)]
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
        public Uri? BaseUri { get; set; }

        /// <summary>How many times a failed request is retried by default.</summary>
        [Parameter]
        [ValidateRange(0, 100)]
        public int MaximumRetryCount { get; set; } = 4;

        /// <summary>The first delay between retries, in seconds; it doubles each time, with jitter.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
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
            ContextStore.Set(connection);
            WriteVerbose($"Connected to {connection.Describe().BaseUri} with key {connection.Options.ApiKey.Hint}.");
            if (PassThru) WriteObject(connection.Describe());
        }
    }
}
