using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Errors;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// A request tried again while its failures may pass: the client's one retry loop, for submissions, queries, lists and
    /// downloads. Retryable failures (the API README's table) are tried again up to the maximum retry count, after a backoff
    /// with jitter that the service's Retry-After can lengthen, each retry told in a verbose line; cancellation ends any wait.
    /// A kind of request adds its own rules through the hooks (a submission's slot gate and look-ups by external id).
    /// </summary>
    internal class RetriedRequest<T>
    {
        private readonly Func<CancellationToken, Task<T>>? _attempt;

        public RetriedRequest(string target, RetrySettings settings, Func<CancellationToken, Task<T>> attempt) : this(target, settings)
        {
            _attempt = attempt ?? throw new ArgumentNullException(nameof(attempt));
        }

        protected RetriedRequest(string target, RetrySettings settings)
        {
            Target = target;
            Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        }

        /// <summary>What the request is, for messages: "GET task 123", "POST image2video (cat.png)", "Download cat.mp4".</summary>
        protected string Target { get; }

        protected RetrySettings Settings { get; }

        /// <summary>One try.</summary>
        protected virtual Task<T> AttemptAsync(CancellationToken ct) => _attempt!(ct);

        /// <summary>Runs before each try; a result found without sending (Done) ends the request with it.</summary>
        protected virtual Task<(bool Done, T Result)> BeforeAttemptAsync(CancellationToken ct) => Task.FromResult((false, default(T)!));

        /// <summary>What a failure means to this kind of request: the loop's rules apply, it goes again at once without counting, or it is done.</summary>
        protected virtual Task<(RetryStep Step, T Result)> OnFailureAsync(KlingApiException failure, CancellationToken ct) =>
            Task.FromResult((RetryStep.ByTheRules, default(T)!));

        /// <summary>The error the request ends with when the loop gives up after <paramref name="failure"/>.</summary>
        protected virtual KlingApiException GiveUp(KlingApiException failure) => failure;

        public async Task<T> RunAsync(CancellationToken ct)
        {
            var failures = 0;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var (done, found) = await BeforeAttemptAsync(ct).ConfigureAwait(false);
                if (done) return found;
                ExceptionDispatchInfo failed;
                try
                {
                    return await AttemptAsync(ct).ConfigureAwait(false);
                }
                catch (KlingApiException e)
                {
                    failed = ExceptionDispatchInfo.Capture(e);
                }
                var failure = (KlingApiException)failed.SourceException;
                var (step, result) = await OnFailureAsync(failure, ct).ConfigureAwait(false);
                if (step == RetryStep.Done) return result;
                if (step == RetryStep.Again) continue;
                if (!failure.IsRetryable || failures >= Settings.MaximumRetries)
                {
                    var final = GiveUp(failure);
                    if (ReferenceEquals(final, failure)) failed.Throw();
                    throw final;
                }
                var delay = Settings.Delay(failures++, failure.RetryAfter);
                Settings.Call.Say(Messages.Retrying(Target, failure.Message, failures, Settings.MaximumRetries, delay));
                await Task.Delay(delay, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>What a failure means to a request (<see cref="RetriedRequest{T}"/>).</summary>
    internal enum RetryStep
    {
        /// <summary>The loop's rules: tried again when retryable and under the maximum count, else the request fails.</summary>
        ByTheRules,
        /// <summary>Tried again at once and not counted: the request's own rules did the waiting.</summary>
        Again,
        /// <summary>The request's own rules found its result.</summary>
        Done,
    }
}
