using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using KlingPS.Emulator;

namespace KlingPS.Tests.Emulation;

/// <summary>The emulator's status callbacks (issue 15), as a loopback receiver gets them.</summary>
public class CallbackTests
{
    private static readonly byte[] WhsecKey = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();

    [Fact]
    public async Task Each_status_change_posts_the_task_exactly_as_a_query_returns_it_unsigned()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var w = await Wire.StartAsync();
        string taskId = await w.CreateTaskAsync("cb-1", receiver.Url.ToString());

        var requests = await receiver.WaitForAsync(r => r.Count == 3);

        var bodies = requests.Select(r => JsonDocument.Parse(r.Body).RootElement).OrderBy(b => b.GetProperty("updated_at").GetInt64()).ToList();
        Assert.Equal(["submitted", "processing", "succeed"], bodies.Select(b => b.GetProperty("task_status").GetString()));
        var final = bodies[2];
        Assert.Equal((await w.QueryAsync(taskId)).GetRawText(), final.GetRawText());
        Assert.Equal(taskId, final.GetProperty("task_id").GetString());
        Assert.Equal("cb-1", final.GetProperty("task_info").GetProperty("external_task_id").GetString());
        var video = final.GetProperty("task_result").GetProperty("videos")[0];
        Assert.All(new[] { "id", "url", "duration" }, name => Assert.Equal(JsonValueKind.String, video.GetProperty(name).ValueKind));
        Assert.All(bodies, b => Assert.Equal(final.GetProperty("created_at").GetInt64(), b.GetProperty("created_at").GetInt64()));
        Assert.All(requests, r =>
        {
            Assert.Equal("application/json; charset=utf-8", r.Headers["Content-Type"]);
            Assert.DoesNotContain(r.Headers.Keys, name => name.StartsWith("webhook-", StringComparison.OrdinalIgnoreCase));
        });
        Assert.All(await WaitForDeliveriesAsync(w, 3), d => Assert.Equal((receiver.Url.ToString(), 200, 1, 1), (d.Url, d.Status, d.Attempt, d.Copy)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task With_a_secret_every_callback_carries_a_standard_webhooks_signature(bool whsecForm)
    {
        // The rule under test: "whsec_" + Base64 is the key's bytes in Base64; any other text is the key as UTF-8.
        string secret = whsecForm ? "whsec_" + Convert.ToBase64String(WhsecKey) : "plain secret, not Base64!";
        byte[] key = whsecForm ? WhsecKey : Encoding.UTF8.GetBytes(secret);
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var w = await Wire.StartAsync(o => o.CallbackSecret = secret);
        await w.CreateTaskAsync(callbackUrl: receiver.Url.ToString());

        var requests = await receiver.WaitForAsync(r => r.Count == 3);

        foreach (var r in requests) AssertSigned(r, key);
        Assert.Equal(3, requests.Select(r => r.Headers["webhook-id"]).Distinct().Count());
        foreach (var delivery in await WaitForDeliveriesAsync(w, 3))
        {
            var got = requests.Single(r => r.Headers["webhook-id"] == delivery.MessageId);
            Assert.All(new[] { "webhook-id", "webhook-timestamp", "webhook-signature" }, h => Assert.Equal(got.Headers[h], delivery.Headers[h]));
            Assert.Equal(got.Body, delivery.Body);
        }
    }

    [Fact]
    public async Task A_failed_delivery_is_retried_with_growing_waits_and_the_same_id_and_body()
    {
        await using var receiver = await CallbackReceiver.StartAsync(500, 503);
        await using var w = await Wire.StartAsync(o =>
        {
            o.SubmittedTime = TimeSpan.FromMinutes(1); // one message only: "submitted"
            o.CallbackSecret = "whsec_" + Convert.ToBase64String(WhsecKey);
            o.CallbackRetryDelay = TimeSpan.FromMilliseconds(150);
        });
        await w.CreateTaskAsync(callbackUrl: receiver.Url.ToString());

        var requests = await receiver.WaitForAsync(r => r.Count == 3);

        Assert.Single(requests.Select(r => r.Headers["webhook-id"]).Distinct());
        Assert.Single(requests.Select(r => r.Body).Distinct());
        foreach (var r in requests) AssertSigned(r, WhsecKey);
        Assert.InRange((requests[1].Time - requests[0].Time).TotalMilliseconds, 140, 5000);
        Assert.InRange((requests[2].Time - requests[1].Time).TotalMilliseconds, 290, 5000);
        await WaitForDeliveriesAsync(w, 3);
        Assert.Equal([(1, 500), (2, 503), (3, 200)], w.Emulator.Callbacks.Entries.Select(d => (d.Attempt, d.Status)));
    }

    [Theory]
    [InlineData(500, 2, 3)]
    [InlineData(302, 1, 2)] // a redirect is a failure, never followed
    [InlineData(410, 3, 1)] // Gone: the receiver wants no more
    public async Task Retries_are_bounded(int status, int retries, int attempts)
    {
        await using var receiver = await CallbackReceiver.StartAsync(Enumerable.Repeat(status, 10).ToArray());
        await using var w = await Wire.StartAsync(o =>
        {
            o.SubmittedTime = TimeSpan.FromMinutes(1);
            o.CallbackRetries = retries;
            o.CallbackRetryDelay = TimeSpan.FromMilliseconds(50);
        });
        await w.CreateTaskAsync(callbackUrl: receiver.Url.ToString());

        await receiver.WaitForAsync(r => r.Count == attempts);
        await Task.Delay(1000); // past the next retry, had there been one (50 ms doubling)

        Assert.Equal(attempts, receiver.Requests.Count);
        Assert.All(w.Emulator.Callbacks.Entries, d => Assert.Equal(status, d.Status));
    }

    [Fact]
    public async Task A_receiver_that_is_down_is_retried_and_logged_without_an_answer()
    {
        int closedPort;
        using (var listener = new TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
        await using var w = await Wire.StartAsync(o =>
        {
            o.SubmittedTime = TimeSpan.FromMinutes(1);
            o.CallbackRetries = 1;
            o.CallbackRetryDelay = TimeSpan.FromMilliseconds(50);
        });
        await w.CreateTaskAsync(callbackUrl: $"http://127.0.0.1:{closedPort}/hook");

        var deliveries = await WaitForDeliveriesAsync(w, 2);

        Assert.Equal([1, 2], deliveries.Select(d => d.Attempt));
        Assert.All(deliveries, d => { Assert.Equal(0, d.Status); Assert.False(string.IsNullOrEmpty(d.Error)); });
    }

    [Fact]
    public async Task Duplicate_delivery_sends_each_message_twice_with_one_id()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var w = await Wire.StartAsync(o =>
        {
            o.DuplicateCallbacks = true;
            o.CallbackSecret = "whsec_" + Convert.ToBase64String(WhsecKey);
        });
        await w.CreateTaskAsync(callbackUrl: receiver.Url.ToString());

        var requests = await receiver.WaitForAsync(r => r.Count == 6);

        var messages = requests.GroupBy(r => r.Headers["webhook-id"]).ToList();
        Assert.Equal(3, messages.Count);
        Assert.All(messages, m => { Assert.Equal(2, m.Count()); Assert.Single(m.Select(r => r.Body).Distinct()); });
        await WaitForDeliveriesAsync(w, 6);
        Assert.Equal([1, 1, 1, 2, 2, 2], w.Emulator.Callbacks.Entries.Select(d => d.Copy).Order());
    }

    [Theory]
    [InlineData("http://example.com/hook")]
    [InlineData("http://192.0.2.10:8080/hook")]
    public async Task Callbacks_go_to_loopback_addresses_only(string url)
    {
        await using var w = await Wire.StartAsync(o => o.CallbackRetries = 0);
        string taskId = await w.CreateTaskAsync(callbackUrl: url);
        await w.VideoUrlAsync(taskId);
        await Task.Delay(200);

        Assert.Empty(w.Emulator.Callbacks.Entries);
    }

    [Fact]
    public async Task The_admin_surface_lists_and_clears_callback_deliveries()
    {
        await using var receiver = await CallbackReceiver.StartAsync(500);
        await using var w = await Wire.StartAsync(o =>
        {
            o.SubmittedTime = TimeSpan.FromMinutes(1);
            o.CallbackSecret = "whsec_" + Convert.ToBase64String(WhsecKey);
            o.CallbackRetryDelay = TimeSpan.FromMilliseconds(20);
        });
        string taskId = await w.CreateTaskAsync(callbackUrl: receiver.Url.ToString());
        await WaitForDeliveriesAsync(w, 2);

        var listed = JsonDocument.Parse(await w.Http.GetStringAsync("_emulator/callbacks")).RootElement.EnumerateArray().ToList();

        Assert.Equal([500, 200], listed.Select(d => d.GetProperty("status").GetInt32()));
        var last = listed[1];
        Assert.Equal(receiver.Url.ToString(), last.GetProperty("url").GetString());
        Assert.Equal(2, last.GetProperty("attempt").GetInt32());
        Assert.Equal(1, last.GetProperty("copy").GetInt32());
        Assert.Equal(taskId, JsonDocument.Parse(last.GetProperty("body").GetString()!).RootElement.GetProperty("task_id").GetString());
        var headers = last.GetProperty("headers");
        Assert.Equal(last.GetProperty("messageId").GetString(), headers.GetProperty("webhook-id").GetString());
        Assert.StartsWith("v1,", headers.GetProperty("webhook-signature").GetString());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("error").ValueKind);

        using var cleared = await w.Http.DeleteAsync("_emulator/callbacks");
        Assert.Equal(204, (int)cleared.StatusCode);
        Assert.Equal("[]", await w.Http.GetStringAsync("_emulator/callbacks"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("whsec_")]
    [InlineData("whsec_not Base64!")]
    public void A_secret_that_gives_no_key_is_refused(string secret)
    {
        var options = new EmulatorOptions();
        Assert.Throws<ArgumentException>(() => options.CallbackSecret = secret);
        Assert.Null(options.CallbackSecret);
    }

    /// <summary>Checks a request the Standard Webhooks way, independently of the emulator's code.</summary>
    private static void AssertSigned(CallbackReceiver.Received request, byte[] key)
    {
        string id = request.Headers["webhook-id"];
        long timestamp = long.Parse(request.Headers["webhook-timestamp"]);
        Assert.Matches(new Regex("^msg_[0-9a-f]{32}$"), id);
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 30, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        string expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{request.Body}")));
        Assert.Equal("v1," + expected, request.Headers["webhook-signature"]);
    }

    private static async Task<IReadOnlyList<CallbackDelivery>> WaitForDeliveriesAsync(Wire w, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (w.Emulator.Callbacks.Entries.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{count} callback deliveries were not logged within 10 s");
            await Task.Delay(25);
        }
        return w.Emulator.Callbacks.Entries;
    }
}
