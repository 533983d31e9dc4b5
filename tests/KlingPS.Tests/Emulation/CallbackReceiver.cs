using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KlingPS.Tests.Emulation;

/// <summary>A callback endpoint on 127.0.0.1 that records every request and answers the statuses it was given, then 200.</summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    public sealed record Received(DateTimeOffset Time, IReadOnlyDictionary<string, string> Headers, string Body);

    private readonly WebApplication app;
    private readonly Queue<int> statuses;
    private readonly List<Received> received = [];

    private CallbackReceiver(IEnumerable<int> statuses)
    {
        this.statuses = new Queue<int>(statuses);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.Run(async context =>
        {
            string body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            lock (received)
            {
                received.Add(new Received(DateTimeOffset.UtcNow, headers, body));
                context.Response.StatusCode = this.statuses.TryDequeue(out int status) ? status : 200;
            }
        });
    }

    /// <summary>http://127.0.0.1:{port}/hook</summary>
    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<Received> Requests { get { lock (received) return [.. received]; } }

    public static async Task<CallbackReceiver> StartAsync(params int[] statuses)
    {
        var receiver = new CallbackReceiver(statuses);
        await receiver.app.StartAsync();
        receiver.Url = new Uri(receiver.app.Urls.Single() + "/hook");
        return receiver;
    }

    /// <summary>Waits (at most <paramref name="seconds"/>) until the requests satisfy <paramref name="done"/>.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(Func<IReadOnlyList<Received>, bool> done, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var requests = Requests;
            if (done(requests)) return requests;
            Assert.True(DateTime.UtcNow < deadline, $"the callbacks expected did not arrive within {seconds} s; got {requests.Count}");
            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
