using System.Security.Cryptography;
using System.Text;
using KlingPS.Core;
using KlingPS.Core.Callbacks;

namespace KlingPS.Tests.Callbacks;

/// <summary>
/// The Standard Webhooks check of the core, against the standard's own test vector (the reference libraries' tests:
/// standard-webhooks/libraries, "verifyWebhookSignWorks") and against signatures computed here with .NET's HMACSHA256.
/// </summary>
public class WebhookSignatureTests
{
    // The standard's test vector: this secret, id, timestamp and payload sign to this signature.
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorPayload = "{\"test\": 2432232314}";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static readonly DateTimeOffset VectorTime = DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp);

    private static CallbackRequest Request(string body = VectorPayload, string? id = VectorId, string? timestamp = "1614265330", string? signature = VectorSignature)
    {
        var headers = new Dictionary<string, string>();
        if (id != null) headers["webhook-id"] = id;
        if (timestamp != null) headers["webhook-timestamp"] = timestamp;
        if (signature != null) headers["webhook-signature"] = signature;
        return CallbackRequest.Of(body, headers);
    }

    private static WebhookKey VectorKey => WebhookKey.FromSecret(VectorSecret);

    private static KlingValidationException Refused(CallbackRequest request, DateTimeOffset now, WebhookKey? key = null) =>
        Assert.Throws<KlingValidationException>(() => WebhookSignature.Verify(request, key ?? VectorKey, now));

    [Fact]
    public void The_standards_test_vector_verifies()
    {
        Assert.Equal(VectorSignature, "v1," + Convert.ToBase64String(Hashing.HmacSha256(VectorKey.Bytes, $"{VectorId}.{VectorTimestamp}.{VectorPayload}")));
        Assert.Contains(VectorId, WebhookSignature.Verify(Request(), VectorKey, VectorTime));
    }

    [Theory]
    [InlineData(300, true)]
    [InlineData(-300, true)]
    [InlineData(301, false)]   // signed more than 5 minutes ago: a replay
    [InlineData(-301, false)]  // signed more than 5 minutes in the future
    public void The_timestamp_must_be_within_five_minutes_of_now_either_way(int secondsLater, bool accepted)
    {
        var now = VectorTime.AddSeconds(secondsLater);
        if (accepted)
        {
            WebhookSignature.Verify(Request(), VectorKey, now);
            return;
        }
        var e = Refused(Request(), now);
        Assert.Equal((ValidationErrorIds.CallbackTimestampOutOfRange, ValidationCategory.SecurityError), (e.ErrorId, e.Category));
        Assert.Contains("301 s", e.Message);
        Assert.Equal("callback " + VectorId, e.Target);
    }

    [Theory]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("webhook-signature")]
    public void A_missing_header_is_a_missing_signature(string header)
    {
        var request = Request(id: header == "webhook-id" ? null : VectorId, timestamp: header == "webhook-timestamp" ? null : "1614265330",
            signature: header == "webhook-signature" ? null : VectorSignature);

        var e = Refused(request, VectorTime);

        Assert.Equal((ValidationErrorIds.CallbackSignatureMissing, ValidationCategory.SecurityError), (e.ErrorId, e.Category));
        Assert.Equal($"The callback is not signed: it has no {header} header.", e.Message);
    }

    [Fact]
    public void An_unsigned_callback_names_every_header_it_lacks()
    {
        var e = Refused(CallbackRequest.Of(VectorPayload, null), VectorTime);
        Assert.Equal("The callback is not signed: it has no webhook-id, webhook-timestamp, webhook-signature headers.", e.Message);
        Assert.Equal("callback", e.Target);
    }

    [Theory]
    [InlineData("{\"test\": 2432232315}")]  // one digit changed
    [InlineData("{\"test\":2432232314}")]   // the same JSON, written otherwise: the signature covers the characters
    public void A_changed_body_is_refused(string body)
    {
        var e = Refused(Request(body), VectorTime);
        Assert.Equal((ValidationErrorIds.CallbackSignatureInvalid, ValidationCategory.SecurityError), (e.ErrorId, e.Category));
        Assert.Equal(body, e.Item);
    }

    [Theory]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx")]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]  // the same Base64 without whsec_: plain text, so another key
    public void Another_secret_is_refused(string secret)
    {
        var e = Refused(Request(), VectorTime, WebhookKey.FromSecret(secret));
        Assert.Equal(ValidationErrorIds.CallbackSignatureInvalid, e.ErrorId);
    }

    [Fact]
    public void One_matching_v1_signature_among_several_is_enough_and_other_versions_never_count()
    {
        var valid = VectorSignature.Substring(3);
        var others = $"v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,{valid} v1a,{valid} v1,not*base64 nocomma";

        WebhookSignature.Verify(Request(signature: $"{others} {VectorSignature} v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="), VectorKey, VectorTime);
        var e = Refused(Request(signature: others), VectorTime);
        Assert.Equal(ValidationErrorIds.CallbackSignatureInvalid, e.ErrorId);
        Assert.Contains("none of its 5 signatures", e.Message);
    }

    [Theory]
    [InlineData("1614265330.0")]
    [InlineData("-1614265330")]
    [InlineData("+1614265330")]
    [InlineData("2021-02-25T15:02:10Z")]
    [InlineData("99999999999999999")]
    public void A_timestamp_that_is_not_unix_seconds_is_refused(string timestamp)
    {
        var e = Refused(Request(timestamp: timestamp), VectorTime);
        Assert.Equal(ValidationErrorIds.CallbackSignatureInvalid, e.ErrorId);
        Assert.Contains($"'{timestamp}' is not a time in Unix seconds", e.Message);
    }

    [Fact]
    public void Header_names_are_matched_whatever_their_case()
    {
        var request = CallbackRequest.Of(VectorPayload, new Dictionary<string, string>
        {
            ["Webhook-Id"] = VectorId, ["WEBHOOK-TIMESTAMP"] = "1614265330", ["webhook-Signature"] = VectorSignature,
        });
        WebhookSignature.Verify(request, VectorKey, VectorTime);
    }

    [Fact]
    public void A_plain_text_secret_is_its_UTF8_bytes_and_a_whsec_secret_its_decoded_Base64()
    {
        byte[] key = Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray();
        const string body = "{\"task_id\":\"1\"}";
        var now = DateTimeOffset.UtcNow;
        var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string Sign(byte[] k) => "v1," + Convert.ToBase64String(HMACSHA256.HashData(k, Encoding.UTF8.GetBytes($"msg_1.{timestamp}.{body}")));

        WebhookSignature.Verify(Request(body, "msg_1", timestamp, Sign(key)), WebhookKey.FromSecret("whsec_" + Convert.ToBase64String(key)), now);
        WebhookSignature.Verify(Request(body, "msg_1", timestamp, Sign(Encoding.UTF8.GetBytes("mot de passe é"))), WebhookKey.FromSecret("mot de passe é"), now);
    }

    [Theory]
    [InlineData("", "The webhook secret is empty.")]
    [InlineData("whsec_", "The webhook secret starts with whsec_, but what follows is not the Base64 of a key.")]
    [InlineData("whsec_not Base64!", "The webhook secret starts with whsec_, but what follows is not the Base64 of a key.")]
    public void A_secret_that_gives_no_key_is_refused(string secret, string message)
    {
        var e = Assert.Throws<KlingValidationException>(() => WebhookKey.FromSecret(secret));
        Assert.Equal((ValidationErrorIds.CallbackSecretInvalid, ValidationCategory.InvalidArgument, message), (e.ErrorId, e.Category, e.Message));
    }

    [Fact]
    public void The_comparison_answers_by_content_and_length()
    {
        byte[] a = [1, 2, 3, 4];
        Assert.True(WebhookSignature.FixedTimeEquals(a, [1, 2, 3, 4]));
        Assert.False(WebhookSignature.FixedTimeEquals(a, [1, 2, 3, 5]));
        Assert.False(WebhookSignature.FixedTimeEquals(a, [129, 2, 3, 4]));
        Assert.False(WebhookSignature.FixedTimeEquals(a, [1, 2, 3]));
    }
}
