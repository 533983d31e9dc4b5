using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// One create request in the retry loop, with the rules that keep it from paying twice: a request whose task may exist
    /// already (an external id the user gave, or one an earlier run may have sent) is looked up by it before anything is
    /// uploaded; so is one after an attempt whose outcome is unknown; a refused duplicate external id means the task
    /// exists, so it is looked up; a 1303 (the account's concurrency limit) is not a failure but a wait at the slot gate,
    /// where the submission keeps its place in line.
    /// An answer that does not say which task was made (no task id, or one given to another submission) is looked up once by
    /// the external id, and never sent again: the service did accept it.
    /// </summary>
    internal sealed class Submission : RetriedRequest<KlingTask>
    {
        private readonly KlingClient _client;
        private readonly KlingVideoRequest _request;
        private readonly string _externalId;
        private readonly SlotTicket _ticket;
        private bool _mayExist;
        private bool _sent;

        public Submission(KlingClient client, KlingVideoRequest request, string externalId, bool lookUpFirst, RetrySettings settings)
            : base("POST " + request.Route.PathSegment() + (request.Source == null ? "" : " (" + SourceName(request.Source) + ")"), settings)
        {
            _client = client;
            _request = request;
            _externalId = externalId;
            _mayExist = lookUpFirst;
            _ticket = client.Slots.NewTicket();
        }

        protected override async Task<(bool Done, KlingTask Result)> BeforeAttemptAsync(CancellationToken ct)
        {
            if (!_mayExist) return (false, null!);
            // The task may exist (an earlier request with this id, or the last attempt): one GET before paying twice.
            Settings.Call.Say(_sent ? Messages.CheckingExternalId(Target, _externalId) : Messages.LookingUpFirst(Target, _externalId));
            var existing = await FindAsync(ct).ConfigureAwait(false);
            _mayExist = false;
            return (existing != null, existing!);
        }

        protected override async Task<KlingTask> AttemptAsync(CancellationToken ct)
        {
            await _client.Slots.EnterAsync(_ticket, limit => Settings.Call.Say(Messages.HeldForSlot(Target, limit)), ct).ConfigureAwait(false);
            _sent = true;
            KlingTask task;
            try
            {
                using var body = RequestBody.For(_request, _externalId);
                task = await _client.CreateAsync(_request.Route, body, Target, _externalId, ct).ConfigureAwait(false);
            }
            catch (KlingApiException e) when (e.Kind == KlingErrorKind.ConcurrencyLimit)
            {
                _client.Slots.Refused(_ticket, e.RetryAfter);
                throw;
            }
            catch
            {
                _client.Slots.Failed(_ticket);
                throw;
            }
            _client.Slots.Created(_ticket);
            if (!_client.Submitted.TryClaim(task, _externalId, out var other))
                throw AnswerErrors.RepeatedTaskId(Target, task.TaskId, other, _externalId, task.RequestId);
            Settings.Call.Say($"{Target}: created task {task.TaskId} (external id {_externalId}).");
            return task.WithSources(_request.Sources);
        }

        protected override async Task<(RetryStep Step, KlingTask Result)> OnFailureAsync(KlingApiException failure, CancellationToken ct)
        {
            _mayExist |= failure.OutcomeUnknown;
            if (failure.Kind == KlingErrorKind.ConcurrencyLimit)
            {
                // Not a failure: the account is busy. The next attempt waits at the gate for a slot, however long it takes.
                Settings.Call.Say(Messages.WaitingForSlot(Target));
                return (RetryStep.Again, null!);
            }
            if (failure.Cause == FailureCause.MissingTaskId || failure.Cause == FailureCause.RepeatedTaskId)
            {
                Settings.Call.Say(failure.Message + " Looking it up by that id.");
                KlingTask? found = null;
                try
                {
                    found = await FindAsync(ct).ConfigureAwait(false);
                }
                catch (KlingApiException e)
                {
                    Settings.Call.Say($"{Target}: the look-up by external id {_externalId} failed: {e.Message}");
                }
                return found == null ? (RetryStep.ByTheRules, null!) : (RetryStep.Done, found);
            }
            if (failure.Kind == KlingErrorKind.InvalidRequest && IsDuplicateExternalId(failure))
            {
                // The service already has a task with this id: from an earlier run, or from an attempt whose answer was lost.
                // Either way that task is the one this submission means.
                var existing = await FindAsync(ct).ConfigureAwait(false);
                if (existing != null) return (RetryStep.Done, existing);
            }
            return (RetryStep.ByTheRules, null!);
        }

        protected override KlingApiException GiveUp(KlingApiException failure) =>
            failure.ExternalTaskId != null || !(failure.OutcomeUnknown || _mayExist) ? failure
                : new KlingApiException(failure.Kind, Messages.OutcomeStillUnknown(failure.Message, _externalId), failure)
                {
                    StatusCode = failure.StatusCode, KlingCode = failure.KlingCode, GatewayCode = failure.GatewayCode, ServiceMessage = failure.ServiceMessage,
                    RequestId = failure.RequestId, IsRetryable = failure.IsRetryable, OutcomeUnknown = true, Target = Target, ExternalTaskId = _externalId,
                    Cause = failure.Cause,
                };

        private async Task<KlingTask?> FindAsync(CancellationToken ct)
        {
            var existing = await _client.FindByExternalIdAsync(_request.Route, _externalId, Settings.Call, ct).ConfigureAwait(false);
            // A task another submission got already is not this one's, whatever the look-up says.
            if (existing == null || !_client.Submitted.TryClaim(existing, _externalId, out _)) return null;
            Settings.Call.Say(Messages.FoundExisting(Target, existing.TaskId, _externalId));
            return existing.WithSources(_request.Sources);
        }

        private static bool IsDuplicateExternalId(KlingApiException e) =>
            e.ServiceMessage != null && e.ServiceMessage.IndexOf("external_task_id", StringComparison.OrdinalIgnoreCase) >= 0
            && (e.ServiceMessage.IndexOf("exist", StringComparison.OrdinalIgnoreCase) >= 0 || e.ServiceMessage.IndexOf("duplicat", StringComparison.OrdinalIgnoreCase) >= 0);

        private static string SourceName(string source) =>
            source.IndexOf("://", StringComparison.Ordinal) >= 0 ? source : Path.GetFileName(source);
    }
}
