using System.Management.Automation;
using KlingPS.Infrastructure;

namespace KlingPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Forgets the connection that Connect-Kling made in this session.</para>
    /// <para type="description">Later commands fall back to their own -ApiKey or to the COMETAPI_KEY environment variable.</para>
    /// </summary>
    /// <example>
    ///   <code>Disconnect-Kling</code>
    ///   <para>Removes the key from the session.</para>
    /// </example>
    /// <example>
    ///   <code>try { Connect-Kling -ApiKey $key; Get-KlingTask -PageSize 5 } finally { Disconnect-Kling }</code>
    ///   <para>Keeps the key in the session only while a script needs it.</para>
    /// </example>
    /// <seealso cref="ConnectKlingCommand"/>
    /// <seealso cref="GetKlingContextCommand"/>
    /// <seealso>about_KlingPS</seealso>
    [Cmdlet(VerbsCommunications.Disconnect, "Kling", HelpUri = HelpUri)]
    [OutputType(typeof(void))]
    public sealed class DisconnectKlingCommand : KlingCmdlet
    {
        protected override void EndProcessing()
        {
            ContextStore.Set(null);
            WriteVerbose("Disconnected: the session holds no CometAPI key now.");
        }
    }
}
