using System;
using System.Collections.Generic;
using KlingPS.Core.Models;
using KlingPS.Core.Validation;

namespace KlingPS.Core.Batch
{
    /// <summary>
    /// The external task ids of one batch (one pipeline run): the service keeps them unique per
    /// account, so a second use within a batch would only fail there, after the first was paid for.
    /// Thread-safe.
    /// </summary>
    internal sealed class BatchIds
    {
        private readonly Dictionary<string, string> _owners = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Records a request's external task id; throws ExternalTaskIdDuplicate when another item of the batch has it. Null ids pass: the client generates unique ones.</summary>
        public void Claim(KlingVideoRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            Claim(request.ExternalTaskId, request.Name);
        }

        /// <summary>Records an external task id for the item named <paramref name="itemName"/>.</summary>
        public void Claim(string? externalTaskId, string itemName)
        {
            if (externalTaskId == null) return;
            lock (_owners)
            {
                if (_owners.TryGetValue(externalTaskId, out var owner))
                    throw new KlingValidationException(ValidationErrorIds.ExternalTaskIdDuplicate, ValidationCategory.ResourceExists, ValidationMessages.RuleExternalIdUnique,
                        externalTaskId, itemName, ValidationMessages.ExternalIdDuplicate(externalTaskId, owner));
                _owners.Add(externalTaskId, itemName);
            }
        }
    }
}
