using System;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Client;
using KlingPS.Core.Models;

namespace KlingPS.Core.Callbacks
{
    /// <summary>
    /// Turns what a callback endpoint received into the task it describes: the signature checked first when there is a key
    /// (before anything in the body is trusted), then the body read as a task, then that task confirmed with the service
    /// unless the reader was made without a client. Holds no state between callbacks, so a callback repeated, late or out
    /// of order gives the task again, as the service knows it then.
    /// </summary>
    internal sealed class CallbackReader
    {
        private readonly KlingClient? _client;
        private readonly WebhookKey? _key;
        private readonly KlingRoute? _route;
        private readonly KlingCallOptions _call;

        /// <param name="confirmWith">The client to confirm tasks with; null to take them as posted.</param>
        /// <param name="key">The webhook secret's key; null to leave signature headers unchecked.</param>
        /// <param name="route">The route the tasks were created on; null when unknown (confirmation tries both).</param>
        /// <param name="call">Where -Verbose goes, and the retry settings of the queries.</param>
        public CallbackReader(KlingClient? confirmWith, WebhookKey? key, KlingRoute? route, KlingCallOptions? call = null)
        {
            _client = confirmWith;
            _key = key;
            _route = route;
            _call = call ?? KlingCallOptions.Default;
        }

        /// <summary>Whether tasks are confirmed with the service (else they are written as posted).</summary>
        public bool Confirms => _client != null;

        /// <summary>The task of one callback: the service's answer, or the posted task when the reader does not confirm.</summary>
        /// <exception cref="Validation.KlingValidationException">The signature or the body is refused.</exception>
        /// <exception cref="Errors.KlingApiException">The service does not know the task, or could not be asked.</exception>
        public async Task<KlingTask> ReadAsync(CallbackRequest request, CancellationToken ct)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (request.FromWebhookDataText) _call.Say(CallbackMessages.OpenedWebhookData);
            _call.Say(_key == null ? CallbackMessages.SignatureNotChecked : WebhookSignature.Verify(request, _key, DateTimeOffset.UtcNow));
            var posted = CallbackPayload.Read(request.Body, _route ?? KlingRoute.ImageToVideo);
            _call.Say(CallbackMessages.Posted(posted));
            if (_client == null)
            {
                _call.Say(CallbackMessages.NotConfirmed(posted.Route));
                return posted;
            }
            return await CallbackConfirmation.ConfirmAsync(_client, posted, _route, _call, ct).ConfigureAwait(false);
        }
    }
}
