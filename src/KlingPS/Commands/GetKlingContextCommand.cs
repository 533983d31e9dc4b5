using System;
using System.Management.Automation;
using KlingPS.Core.Models;
using KlingPS.Infrastructure;

namespace KlingPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows which service and key the KlingPS commands of this session use, without showing the key.</para>
    /// <para type="description">Shows the base URI, the last four characters of the key, where the key comes from (Connect-Kling or COMETAPI_KEY), the retry settings, the request timeout, and whether a proxy is set. Writes nothing when no key is set.</para>
    /// </summary>
    /// <example>
    ///   <code>Get-KlingContext</code>
    ///   <para>Shows the current connection.</para>
    /// </example>
    /// <example>
    ///   <code>if (-not (Get-KlingContext)) { Connect-Kling -Credential (Get-AutomationPSCredential -Name CometAPI) }</code>
    ///   <para>Connects only when the session has no key yet.</para>
    /// </example>
    /// <seealso cref="ConnectKlingCommand"/>
    /// <seealso cref="DisconnectKlingCommand"/>
    /// <seealso>about_KlingPS</seealso>
    [Cmdlet(VerbsCommon.Get, "KlingContext", HelpUri = HelpUri)]
    [OutputType(typeof(KlingContextInfo))]
    public sealed class GetKlingContextCommand : KlingCmdlet
    {
        protected override void EndProcessing()
        {
            var connection = ContextStore.Get();
            if (connection == null)
            {
                var key = Environment.GetEnvironmentVariable(KeyVariable);
                if (string.IsNullOrWhiteSpace(key)) { WriteVerbose(Messages.NoApiKey); return; }
                connection = ContextStore.FromEnvironment(ApiKeyFrom(key!, EnvironmentKeySource), DefaultBaseUri());
            }
            WriteObject(connection.Describe());
        }
    }
}
