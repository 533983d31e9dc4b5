using System.Text.Json;
using KlingPS.Core.Callbacks;

namespace KlingPS.Tests.Callbacks;

/// <summary>
/// What the core makes of a callback's text before asking the service anything: the task it posts, Azure Automation's
/// WebhookData as JSON text, and every refusal, each with its stable id (all the Callback* ids of ValidationErrorIds).
/// </summary>
public class CallbackRefusalTests
{
    private const string Final = """
        {"task_id":861309198188019719,"task_status":"succeed","task_status_msg":"","task_info":{"external_task_id":"cat-1"},
         "created_at":1722769557708,"updated_at":1722769590000,
         "task_result":{"videos":[{"id":"v-1","url":"https://cdn.example/v-1.mp4","duration":"5.0"}]}}
        """;

    /// <summary>The ids of the refusals of reading a callback.</summary>
    public static readonly string[] Ids =
    [
        ValidationErrorIds.CallbackBodyInvalid, ValidationErrorIds.CallbackTaskIdMissing, ValidationErrorIds.CallbackSignatureMissing,
        ValidationErrorIds.CallbackSignatureInvalid, ValidationErrorIds.CallbackTimestampOutOfRange, ValidationErrorIds.CallbackSecretInvalid,
    ];

    /// <summary>A reader that neither checks signatures nor asks the service: only the body is read.</summary>
    private static KlingTask Read(string body, KlingRoute? route = null) =>
        new CallbackReader(null, null, route).ReadAsync(CallbackRequest.Of(body, null), CancellationToken.None).GetAwaiter().GetResult();

    public static TheoryData<string, string, string, string> Refusals() => new()
    {
        // case, body, secret ("" for none), error id
        { "empty body", "", "", ValidationErrorIds.CallbackBodyInvalid },
        { "blank body", " \r\n", "", ValidationErrorIds.CallbackBodyInvalid },
        { "not JSON", "task_id=1", "", ValidationErrorIds.CallbackBodyInvalid },
        { "cut short", Final.Substring(0, 40), "", ValidationErrorIds.CallbackBodyInvalid },
        { "a JSON array", "[" + Final + "]", "", ValidationErrorIds.CallbackBodyInvalid },
        { "a JSON string", "\"861309198188019719\"", "", ValidationErrorIds.CallbackBodyInvalid },
        { "a field of the wrong type", """{"task_id":"1","task_status":["succeed"]}""", "", ValidationErrorIds.CallbackBodyInvalid },
        { "no task_id", """{"task_status":"succeed"}""", "", ValidationErrorIds.CallbackTaskIdMissing },
        { "an empty task_id", """{"task_id":"","task_status":"succeed"}""", "", ValidationErrorIds.CallbackTaskIdMissing },
        { "a null task_id", """{"task_id":null}""", "", ValidationErrorIds.CallbackTaskIdMissing },
        { "unsigned, with a secret", Final, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", ValidationErrorIds.CallbackSignatureMissing },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_callback_that_is_not_a_task_or_not_signed_is_refused_with_its_id(string name, string body, string secret, string errorId)
    {
        var reader = new CallbackReader(null, secret.Length == 0 ? null : WebhookKey.FromSecret(secret), null);

        var e = await Assert.ThrowsAsync<KlingValidationException>(() => reader.ReadAsync(CallbackRequest.Of(body, null), CancellationToken.None));

        Assert.True(errorId == e.ErrorId, $"{name}: {e.ErrorId}: {e.Message}");
        Assert.Equal(errorId.Contains("Signature") ? ValidationCategory.SecurityError : ValidationCategory.InvalidData, e.Category);
        Assert.Equal(body, e.Item);
        Assert.StartsWith("callback", e.Target);
    }

    [Fact]
    public void Every_callback_error_id_is_produced_by_a_test()
    {
        // The refusals above, and those WebhookSignatureTests makes: a bad signature, a stale one, a secret without a key.
        var produced = Refusals().Select(row => (string)row[3]).Concat([
            ValidationErrorIds.CallbackSignatureInvalid, ValidationErrorIds.CallbackTimestampOutOfRange, ValidationErrorIds.CallbackSecretInvalid]);
        Assert.Empty(Ids.Except(produced));
    }

    [Fact]
    public void The_posted_task_is_read_like_a_query_answer_on_the_route_given()
    {
        var task = Read(Final, KlingRoute.MultiImageToVideo);

        Assert.Equal(("861309198188019719", KlingRoute.MultiImageToVideo, KlingTaskStatus.Succeeded, "cat-1"), (task.TaskId, task.Route, task.Status, task.ExternalTaskId));
        var video = Assert.Single(task.Videos);
        Assert.Equal((new Uri("https://cdn.example/v-1.mp4"), TimeSpan.FromSeconds(5), "861309198188019719"), (video.Url, video.Duration, video.TaskId));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1722769557708), task.CreatedAt);
        Assert.Null(task.StatusMessage);
        Assert.Null(task.RequestId);
        Assert.Equal(KlingRoute.ImageToVideo, Read(Final).Route);
    }

    [Theory]
    [InlineData("""{"task_id":"1","task_status":"submitted","task_info":{},"task_result":{}}""", KlingTaskStatus.Submitted)]
    [InlineData("""{"task_id":"1","task_status":"processing","task_result":null}""", KlingTaskStatus.Processing)]
    [InlineData("""{"task_id":"1","task_status":"failed","task_status_msg":"Image pixel is invalid"}""", KlingTaskStatus.Failed)]
    [InlineData("""{"task_id":"1","task_status":"queued"}""", KlingTaskStatus.Unknown)]
    public void A_task_not_succeeded_is_read_as_it_is_without_videos(string body, KlingTaskStatus status)
    {
        var task = Read(body);
        Assert.Equal(status, task.Status);
        Assert.Empty(task.Videos);
        if (status == KlingTaskStatus.Failed) Assert.Equal("Image pixel is invalid", task.StatusMessage);
    }

    [Fact]
    public void WebhookData_as_JSON_text_is_opened_and_its_headers_used_unless_headers_were_given()
    {
        var headers = new Dictionary<string, string> { ["Host"] = "x.webhook.azure-automation.net", ["webhook-id"] = "msg_1" };
        var text = JsonSerializer.Serialize(new { WebhookName = "kling", RequestBody = Final, RequestHeader = headers });

        var opened = CallbackRequest.Of(text, null);
        var given = CallbackRequest.Of(text, new Dictionary<string, string> { ["webhook-id"] = "msg_2" });

        Assert.True(opened.FromWebhookDataText);
        Assert.Equal(Final, opened.Body);
        Assert.Equal(("msg_1", "x.webhook.azure-automation.net"), (opened.Header("Webhook-Id"), opened.Header("host")));
        Assert.Equal(("msg_2", null), (given.Header("webhook-id"), given.Header("Host")));
        Assert.Equal("861309198188019719", Read(text).TaskId);
        // A task body is never taken for WebhookData, whatever its fields hold.
        var task = CallbackRequest.Of("""{"task_id":"1","task_status_msg":"RequestBody"}""", null);
        Assert.False(task.FromWebhookDataText);
    }

    [Fact]
    public void WebhookData_of_a_PowerShell_7_1_runbook_is_refused_with_the_reason()
    {
        // What Azure Automation passed PowerShell 7.1 runbooks: the JSON's quotes are lost around names and plain values.
        var broken = "{WebhookName:kling,RequestBody:" + Final.Replace("\n", "").Replace("\r", "") + ",RequestHeader:{Host:x.webhook.azure-automation.net}}";

        var e = Assert.Throws<KlingValidationException>(() => Read(broken));

        Assert.Equal(ValidationErrorIds.CallbackBodyInvalid, e.ErrorId);
        Assert.Contains("as PowerShell 7.1 runbooks receive it", e.Message);
    }
}
