using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading.Tasks;
using KlingPS.Core.Callbacks;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;
using KlingPS.Infrastructure;

namespace KlingPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Turns a Kling status callback (a webhook's body, or Azure Automation's $WebhookData) into the task it describes, confirmed with the service.</para>
    /// <para type="description">Kling posts a task to the callback URL given at submission (-CallbackUrl) each time its status changes. This cmdlet takes such a callback: its body as text, or $WebhookData itself, whose RequestBody and RequestHeader properties bind by name ($WebhookData that arrives as JSON text, as it may in PowerShell 7 runbooks, is read too). It writes the KlingTask the callback describes, ready for Save-KlingVideo, Wait-KlingTask or Get-KlingTask.</para>
    /// <para type="description">A callback URL is public, so the posted task is not trusted: by default it is queried once with the connection's key (on -Route; without it on image-to-video, then on multi-image-to-video) and the service's answer is written, with the service's status and video URLs, never the posted ones. A task the service does not know is an error, and nothing is written for it.</para>
    /// <para type="description">With -WebhookSecret the callback must also carry a valid Standard Webhooks signature (headers webhook-id, webhook-timestamp and webhook-signature; HMAC-SHA256, any one of several signatures may match) made at most 5 minutes ago; a callback unsigned, signed otherwise or signed earlier is an error. This is checked before anything else.</para>
    /// <para type="description">A task that has not finished yet is written as it is: look at its Status. Every task written has a ConfirmedByService property, $false only with -SkipServiceCheck. Nothing is remembered between callbacks: the same callback twice gives the same task twice, and Save-KlingVideo -JournalPath then skips the video saved the first time. -Verbose says what was checked.</para>
    /// </summary>
    /// <example>
    ///   <code>$WebhookData | ConvertFrom-KlingCallback | Where-Object Status -eq Succeeded | Save-KlingVideo -Path ./clips</code>
    ///   <para>In a runbook started by a webhook: saves the video of a task the service says has succeeded. Callbacks of tasks still running give a task that Where-Object drops.</para>
    /// </example>
    /// <example>
    ///   <code>$secret = ConvertTo-SecureString (Get-AutomationVariable -Name KlingWebhookSecret) -AsPlainText -Force
    /// $WebhookData | ConvertFrom-KlingCallback -WebhookSecret $secret -Route ImageToVideo -Verbose</code>
    ///   <para>Also checks the callback's signature with the webhook secret, and queries only the image-to-video route; -Verbose tells each check.</para>
    /// </example>
    /// <example>
    ///   <code>ConvertFrom-KlingCallback -Body $WebhookData.RequestBody -SkipServiceCheck | Select-Object TaskId, Status, ConfirmedByService</code>
    ///   <para>Reads the task as posted, without asking the service (no key needed): ConfirmedByService is False. Only for callbacks verified some other way.</para>
    /// </example>
    /// <seealso cref="SaveKlingVideoCommand"/>
    /// <seealso cref="GetKlingTaskCommand"/>
    /// <seealso cref="NewKlingImageVideoCommand"/>
    /// <seealso>about_KlingPS</seealso>
    [Cmdlet(VerbsData.ConvertFrom, "KlingCallback", HelpUri = HelpUri)]
    [OutputType(typeof(KlingTask))]
    public sealed class ConvertFromKlingCallbackCommand : ServiceCmdlet
    {
        /// <summary>The property every written task gets: whether its content is the service's answer, or only what was posted.</summary>
        internal const string ConfirmedProperty = "ConfirmedByService";

        /// <summary>The callback's body, exactly as posted (a signature covers every character). Binds from piped text, and from the RequestBody property of Azure Automation's $WebhookData.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("RequestBody")]
        [AllowEmptyString]
        public string Body { get; set; } = string.Empty;

        /// <summary>The callback's HTTP headers: a hashtable, or an object with one property per header (the RequestHeader of $WebhookData, which binds by name). Needed only with -WebhookSecret.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Headers")]
        public object? RequestHeader { get; set; }

        /// <summary>The secret the callbacks are signed with: "whsec_" followed by Base64 (the Standard Webhooks form), or any other text, used as it is. Without it, signature headers are not checked.</summary>
        [Parameter]
        public SecureString? WebhookSecret { get; set; }

        /// <summary>The endpoint the tasks were created on. Without it the task is looked for on image-to-video, then on multi-image-to-video; with -SkipServiceCheck, image-to-video is assumed.</summary>
        [Parameter]
        public KlingRoute? Route { get; set; }

        /// <summary>Write the task as posted, without asking the service (its ConfirmedByService is $false). Only for callbacks whose origin is checked some other way, for example with -WebhookSecret: the posted video URLs are then downloaded as they are.</summary>
        [Parameter]
        public SwitchParameter SkipServiceCheck { get; set; }

        private CallbackReader? _reader;

        protected override void BeginProcessing()
        {
            WebhookKey? key = null;
            try
            {
                if (WebhookSecret != null) key = WebhookKey.FromSecret(Plain(WebhookSecret));
            }
            catch (KlingApiException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, null));
            }
            _reader = new CallbackReader(SkipServiceCheck ? null : Connection.Client, key, Route, Call);
        }

        protected override void ProcessRecord()
        {
            CallbackRequest request;
            try
            {
                request = CallbackRequest.Of(Body, HeadersOf(RequestHeader));
            }
            catch (ArgumentException e)
            {
                WriteItemError(e, RequestHeader);
                return;
            }
            var reader = _reader!;
            var work = Task.Run(() => reader.ReadAsync(request, StopToken));
            try
            {
                Pump.RunUntil(work, StopToken);
            }
            catch (KlingApiException e)
            {
                WriteItemError(e, Body);
                return;
            }
            var task = PSObject.AsPSObject(work.Result);
            task.Properties.Add(new PSNoteProperty(ConfirmedProperty, reader.Confirms));
            WriteObject(task);
        }

        /// <summary>
        /// The headers as name and text: from a dictionary (a hashtable), or from an object's properties (Azure Automation gives
        /// RequestHeader as a PSCustomObject). A header with several values gives them space-separated, as webhook-signature lists them.
        /// </summary>
        private static List<KeyValuePair<string, string>> HeadersOf(object? headers)
        {
            var pairs = new List<KeyValuePair<string, string>>();
            var value = headers is PSObject wrapped ? wrapped.BaseObject : headers;
            switch (value)
            {
                case null:
                    break;
                case IDictionary dictionary:
                    foreach (DictionaryEntry entry in dictionary) pairs.Add(Pair(entry.Key, entry.Value));
                    break;
                case PSCustomObject _:
                    foreach (var property in PSObject.AsPSObject(headers!).Properties) pairs.Add(Pair(property.Name, property.Value));
                    break;
                default:
                    throw new ArgumentException(Messages.HeadersNotAnObject(value.GetType()));
            }
            return pairs;
        }

        private static KeyValuePair<string, string> Pair(object name, object? value)
        {
            var raw = value is PSObject wrapped ? wrapped.BaseObject : value;
            var text = raw is IEnumerable values && !(raw is string)
                ? string.Join(" ", values.Cast<object?>().Select(Text))
                : Text(raw);
            return new KeyValuePair<string, string>(Text(name), text);
        }

        private static string Text(object? value) => value == null ? string.Empty : Convert.ToString(value is PSObject p ? p.BaseObject : value, CultureInfo.InvariantCulture) ?? string.Empty;
    }
}
