using System;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Errors;

namespace KlingPS.Core.Batch
{
    /// <summary>
    /// Keeps a batch from repeating an error that every item would get. Until one item's requests have succeeded (the key
    /// and the account work), items go to the service one at a time, so a wrong key costs one request, not one upload per
    /// image; after an authentication or account error, nothing more of the batch is sent, and each item left fails with
    /// an error of its own that gives that error's reason.
    /// </summary>
    internal sealed class BatchAdmission : IDisposable
    {
        private readonly SemaphoreSlim _alone = new SemaphoreSlim(1, 1);
        private volatile bool _proven;
        private KlingApiException? _stop;

        /// <summary>
        /// Whether an error stops the batch: the key (401, 1000-1004), the account (1100-1102) and an IP whitelist (1304)
        /// refuse every request alike. 1103 (no access to this API or model) does not: the next item may ask for another model.
        /// </summary>
        public static bool StopsTheBatch(KlingApiException e) =>
            e.Kind == KlingErrorKind.Authentication || e.Kind == KlingErrorKind.Account || (e.Kind == KlingErrorKind.Permission && e.KlingCode == 1304);

        /// <summary>Throws, for the item named <paramref name="itemName"/>, the error that stopped the batch, if one did.</summary>
        public void ThrowIfStopped(string itemName)
        {
            var stop = Volatile.Read(ref _stop);
            if (stop == null) return;
            throw new KlingApiException(stop.Kind, Messages.NotSent(itemName, stop.Message))
            {
                StatusCode = stop.StatusCode, KlingCode = stop.KlingCode, GatewayCode = stop.GatewayCode, ServiceMessage = stop.ServiceMessage, Target = itemName,
            };
        }

        /// <summary>Runs an item's requests: alone until the batch is proven, not at all once it is stopped.</summary>
        public async Task<T> RunAsync<T>(string itemName, Func<Task<T>> requests, CancellationToken ct)
        {
            var alone = !_proven;
            if (alone)
            {
                await _alone.WaitAsync(ct).ConfigureAwait(false);
                if (_proven)
                {
                    _alone.Release();
                    alone = false;
                }
            }
            try
            {
                ThrowIfStopped(itemName);
                var result = await requests().ConfigureAwait(false);
                _proven = true;
                return result;
            }
            catch (KlingApiException e) when (StopsTheBatch(e))
            {
                Interlocked.CompareExchange(ref _stop, e, null);
                throw;
            }
            finally
            {
                if (alone) _alone.Release();
            }
        }

        public void Dispose() => _alone.Dispose();
    }
}
