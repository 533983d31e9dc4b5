using System.Net;
using System.Net.Http;
using System.Text;

namespace KlingPS.Tests.Client;

/// <summary>CometAPI's gateway errors carry their request id only inside the message: it is read into RequestId.</summary>
public class GatewayRequestIdTests
{
    private static async Task<KlingApiException> Read(HttpStatusCode status, string body)
    {
        using var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return await Assert.ThrowsAsync<KlingApiException>(() =>
            ResponseReader.ReadAsync(response, "GET task 1", new Uri("https://api.cometapi.com/"), false, CancellationToken.None));
    }

    [Fact]
    public async Task A_gateway_error_gives_its_request_id_and_keeps_only_its_own_words_as_the_service_message()
    {
        var x = await Read(HttpStatusCode.Unauthorized,
            """{"error":{"message":"Invalid token (request id: 2026120101195380209a1b2c3d)","type":"comet_api_error","param":"","code":""}}""");

        Assert.Equal(KlingErrorKind.Authentication, x.Kind);
        Assert.Equal("2026120101195380209a1b2c3d", x.RequestId);
        Assert.Equal("Invalid token", x.ServiceMessage);
        Assert.Equal("GET task 1: the service refused the request (HTTP 401): Invalid token [request id 2026120101195380209a1b2c3d]", x.Message);
    }

    [Fact]
    public async Task A_Kling_error_keeps_its_own_request_id_and_a_message_without_one_is_left_as_it_is()
    {
        var kling = await Read(HttpStatusCode.NotFound, """{"code":1203,"message":"task not found (request id: not-this-one)","request_id":"req-42"}""");
        Assert.Equal(("req-42", "task not found (request id: not-this-one)"), (kling.RequestId, kling.ServiceMessage));

        var plain = await Read(HttpStatusCode.BadRequest, """{"error":{"message":"model name is required","type":"comet_api_error","code":"invalid_request"}}""");
        Assert.Equal(((string?)null, "model name is required"), (plain.RequestId, plain.ServiceMessage));
    }
}
