using System;
using System.Collections.Generic;
using KlingPS.Core.Validation;

namespace KlingPS.Core.Callbacks
{
    /// <summary>
    /// The refusals of a callback, made before anything is sent to the service: validation errors with stable ids, the body as
    /// their item. A body that is not a task is InvalidData; a signature refused is a SecurityError.
    /// </summary>
    internal static class CallbackErrors
    {
        public static KlingValidationException BodyInvalid(string body, string message) =>
            new KlingValidationException(ValidationErrorIds.CallbackBodyInvalid, ValidationCategory.InvalidData, CallbackMessages.RuleTask, body, Target(null), message);

        public static KlingValidationException TaskIdMissing(string body) =>
            new KlingValidationException(ValidationErrorIds.CallbackTaskIdMissing, ValidationCategory.InvalidData, CallbackMessages.RuleTask, body, Target(null), CallbackMessages.TaskIdMissing);

        public static KlingValidationException SecretInvalid(string message) =>
            new KlingValidationException(ValidationErrorIds.CallbackSecretInvalid, ValidationCategory.InvalidArgument, CallbackMessages.RuleSecret, null, "webhook secret", message);

        public static KlingValidationException SignatureMissing(CallbackRequest request, IReadOnlyList<string> missing) =>
            new KlingValidationException(ValidationErrorIds.CallbackSignatureMissing, ValidationCategory.SecurityError, CallbackMessages.RuleSigned,
                request.Body, Target(request.Header(WebhookSignature.IdHeader)), CallbackMessages.SignatureMissing(missing));

        public static KlingValidationException SignatureInvalid(CallbackRequest request, string id, string message) =>
            new KlingValidationException(ValidationErrorIds.CallbackSignatureInvalid, ValidationCategory.SecurityError, CallbackMessages.RuleSignature,
                request.Body, Target(id), message);

        public static KlingValidationException TimestampOutOfRange(CallbackRequest request, string id, TimeSpan age) =>
            new KlingValidationException(ValidationErrorIds.CallbackTimestampOutOfRange, ValidationCategory.SecurityError, CallbackMessages.RuleRecent,
                request.Body, Target(id), CallbackMessages.TimestampOutOfRange(id, age));

        private static string Target(string? webhookId) => string.IsNullOrWhiteSpace(webhookId) ? "callback" : "callback " + webhookId;
    }
}
