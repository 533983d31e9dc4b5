using System.Net;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Client;

/// <summary>Every error class of the API README, injected by the emulator: what is retried, what fails fast, what the message says.</summary>
public class ErrorTests
{
    private static ImageVideoRequest UrlRequest(string? externalId = null) =>
        new(KlingImage.FromUrl(new Uri("https://example.com/cat.jpg"))) { ExternalTaskId = externalId };

    [Fact]
    public async Task A_wrong_key_fails_fast_with_an_authentication_error_that_does_not_show_the_key()
    {
        await using var e = await Emulated.StartAsync();
        using var client = new KlingClient(new KlingClientOptions(new KlingApiKey("sk-wrong-secret-9876")) { BaseUri = e.Emulator.BaseUri });

        var x = await Assert.ThrowsAsync<KlingApiException>(() => client.SubmitAsync(UrlRequest()));

        Assert.Equal(KlingErrorKind.Authentication, x.Kind);
        Assert.Equal(HttpStatusCode.Unauthorized, x.StatusCode);
        Assert.False(x.IsRetryable);
        Assert.Equal(1, e.Creates);
        Assert.DoesNotContain("sk-wrong-secret", x.ToString());
    }

    [Fact]
    public async Task The_services_own_validation_answer_is_surfaced_with_its_code_and_request_id()
    {
        await using var e = await Emulated.StartAsync();
        var request = UrlRequest();
        request.Model = "kling-v9-imaginary";

        var x = await Assert.ThrowsAsync<KlingApiException>(() => e.Client.SubmitAsync(request));

        Assert.Equal(KlingErrorKind.InvalidRequest, x.Kind);
        Assert.Equal(1201, x.KlingCode);
        Assert.NotNull(x.RequestId);
        Assert.Contains("model", x.ServiceMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(x.RequestId!, x.Message);
        Assert.Equal(1, e.Creates);
    }

    [Theory]
    [InlineData(429, 1100, KlingErrorKind.Account)]
    [InlineData(429, 1102, KlingErrorKind.Account)]
    [InlineData(403, 1103, KlingErrorKind.Permission)]
    [InlineData(400, 1301, KlingErrorKind.Policy)]
    [InlineData(404, 1203, KlingErrorKind.NotFound)]
    public async Task Non_retryable_Kling_codes_fail_after_exactly_one_request(int status, int code, KlingErrorKind kind)
    {
        await using var e = await Emulated.StartAsync();
        e.Emulator.Options.Faults.Add(FaultRule.Status(status, code).ForTarget(FaultTarget.Create));

        var x = await Assert.ThrowsAsync<KlingApiException>(() => e.Client.SubmitAsync(UrlRequest()));

        Assert.Equal(kind, x.Kind);
        Assert.Equal(code, x.KlingCode);
        Assert.False(x.IsRetryable);
        Assert.Equal(1, e.Creates);
        Assert.Equal(0, e.Emulator.TasksCreated);
    }

    [Fact]
    public async Task A_gateway_500_with_invalid_request_is_not_retried()
    {
        await using var e = await Emulated.StartAsync();
        e.Emulator.Options.Faults.Add(FaultRule.Status(500, gatewayCode: "invalid_request").ForTarget(FaultTarget.Create));

        var x = await Assert.ThrowsAsync<KlingApiException>(() => e.Client.SubmitAsync(UrlRequest()));

        Assert.Equal(KlingErrorKind.InvalidRequest, x.Kind);
        Assert.Equal("invalid_request", x.GatewayCode);
        Assert.Equal(1, e.Creates);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(524)]
    public async Task Server_errors_are_retried_and_create_exactly_one_task(int status)
    {
        await using var e = await Emulated.StartAsync();
        e.Emulator.Options.Faults.Add(FaultRule.Status(status).ForTarget(FaultTarget.Create).OnFirst(2));

        var task = await e.Client.SubmitAsync(UrlRequest());

        Assert.Equal(3, e.Creates);
        Assert.Equal(1, e.Emulator.TasksCreated);
        Assert.Equal(task.TaskId, e.Emulator.Tasks.Single().TaskId);
    }

    [Fact]
    public async Task Rate_limit_1302_is_retried_honouring_retry_after()
    {
        await using var e = await Emulated.StartAsync();
        e.Emulator.Options.Faults.Add(FaultRule.Status(429, 1302).ForTarget(FaultTarget.Create).OnFirst(1).WithRetryAfter(1));
        var started = DateTime.UtcNow;

        await e.Client.SubmitAsync(UrlRequest());

        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.9), "Retry-After: 1 must delay the retry by a second");
        Assert.Equal(2, e.Creates);
        Assert.Equal(1, e.Emulator.TasksCreated);
    }

    [Fact]
    public async Task Retries_stop_at_the_maximum_retry_count()
    {
        await using var e = await Emulated.StartAsync();
        e.Emulator.Options.Faults.Add(FaultRule.Status(503).ForTarget(FaultTarget.Query));
        var task = await e.Client.SubmitAsync(UrlRequest());
        var messages = new List<string>();

        var x = await Assert.ThrowsAsync<KlingApiException>(() =>
            e.Client.GetTaskAsync(task.Route, task.TaskId, new KlingCallOptions { MaximumRetryCount = 2, Verbose = messages.Add }));

        Assert.Equal(KlingErrorKind.ServiceUnavailable, x.Kind);
        Assert.Equal(3, e.Emulator.Log.Entries.Count(l => l.Method == "GET"));
        // Each retry says what failed and when it tries again, naming the request once: "GET task 123: ...; retry 1 of 2 in 1.2 s."
        Assert.Equal(2, messages.Count);
        foreach (var (message, attempt) in messages.Select((m, i) => (m, i + 1)))
        {
            Assert.StartsWith($"GET task {task.TaskId}: the service refused the request (HTTP 503", message);
            Assert.Matches($"; retry {attempt} of 2 in [0-9.]+ s\\.$", message);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(message, "GET task"));
        }
    }

    [Fact]
    public async Task A_connection_dropped_after_the_task_was_accepted_does_not_create_a_second_task()
    {
        await using var e = await Emulated.StartAsync();
        e.Emulator.Options.Faults.Add(FaultRule.DropAfterAccept().ForTarget(FaultTarget.Create).OnFirst(1));
        var messages = new List<string>();

        var task = await e.Client.SubmitAsync(UrlRequest("job-drop"), new KlingCallOptions { Verbose = messages.Add });

        Assert.Equal(1, e.Emulator.TasksCreated);
        Assert.Equal(e.Emulator.Tasks.Single().TaskId, task.TaskId);
        Assert.Contains(messages, m => m.Contains("looking up external id job-drop"));
    }

    [Theory]
    [InlineData("malformed")]
    [InlineData("html")]
    [InlineData("drop-before")]
    [InlineData("timeout")]
    public async Task Unclear_answers_are_retried_without_paying_twice(string fault)
    {
        await using var e = await Emulated.StartAsync(client: o => o.RequestTimeout = TimeSpan.FromMilliseconds(500));
        var rule = fault switch
        {
            "malformed" => FaultRule.MalformedJson(),
            "html" => FaultRule.Html(),
            "drop-before" => FaultRule.DropBeforeAccept(),
            _ => FaultRule.Delay(1500),
        };
        e.Emulator.Options.Faults.Add(rule.ForTarget(FaultTarget.Create).OnFirst(1));

        var task = await e.Client.SubmitAsync(UrlRequest());

        Assert.Equal(1, e.Emulator.TasksCreated);
        Assert.Equal(e.Emulator.Tasks.Single().TaskId, task.TaskId);
    }

    [Fact]
    public async Task An_html_answer_says_so_and_points_at_the_base_uri()
    {
        await using var e = await Emulated.StartAsync();
        using var client = new KlingClient(new KlingClientOptions(new KlingApiKey(Emulated.Key))
        {
            BaseUri = new Uri(e.Emulator.BaseUri, "wrong/"), MaximumRetryCount = 0,
        });

        var x = await Assert.ThrowsAsync<KlingApiException>(() => client.GetTaskAsync(KlingRoute.ImageToVideo, "123"));

        Assert.Equal(KlingErrorKind.InvalidResponse, x.Kind);
        Assert.Contains("HTML page", x.Message);
        Assert.Contains("check the base URI", x.Message);
    }

    [Fact]
    public async Task A_redirect_is_reported_as_a_wrong_path_not_followed()
    {
        await using var e = await Emulated.StartAsync();
        e.Emulator.Options.Faults.Add(FaultRule.Redirect("/elsewhere").ForTarget(FaultTarget.Query));

        var x = await Assert.ThrowsAsync<KlingApiException>(() => e.Client.GetTaskAsync(KlingRoute.ImageToVideo, "123"));

        Assert.Equal(KlingErrorKind.InvalidResponse, x.Kind);
        Assert.Contains("redirect (HTTP 301", x.Message);
        Assert.False(x.IsRetryable);
    }

    [Fact]
    public void Plain_http_is_refused_for_a_non_loopback_base_uri()
    {
        var x = Assert.Throws<ArgumentException>(() =>
            new KlingClient(new KlingClientOptions(new KlingApiKey("k")) { BaseUri = new Uri("http://api.cometapi.com/") }));
        Assert.Contains("plain HTTP", x.Message);
    }

    [Theory]
    [InlineData("sk-abc\r\nX-Injected: 1", "U+000D, a carriage return")]
    [InlineData("sk-abc\nX-Injected: 1", "U+000A, a line feed")]
    [InlineData("sk-abc\tdef", "U+0009, a tab")]
    [InlineData("sk-abc\0def", "U+0000")]
    [InlineData("sk-abc\u001bdef", "U+001B")]
    [InlineData("sk-abc\u007fdef", "U+007F")]
    [InlineData("sk-abc\u0085def", "U+0085")]
    public void A_key_with_a_control_character_inside_is_refused_without_showing_it(string key, string named)
    {
        var x = Assert.Throws<ArgumentException>(() => new KlingApiKey(key));
        Assert.Contains("contains a control character (" + named, x.Message);
        Assert.DoesNotContain("sk-abc", x.Message);
        Assert.DoesNotContain("X-Injected", x.Message);
    }

    [Fact]
    public void White_space_around_a_key_is_not_part_of_it()
    {
        Assert.True(new KlingApiKey("  sk-abcdefghij1234\r\n").Matches(new KlingApiKey("sk-abcdefghij1234")));
    }

    [Fact]
    public void The_key_object_never_shows_the_key()
    {
        var key = new KlingApiKey("sk-abcdefghijklmnop1234");
        Assert.Equal("****1234", key.ToString());
        Assert.DoesNotContain("abcdef", System.Text.Json.JsonSerializer.Serialize(new KlingClientOptions(key)));
    }
}
