using KlingPS.Emulator;
using KlingPS.Tests.Support;
using Xunit;
using static KlingPS.Tests.Support.TestImages;

namespace KlingPS.Tests.Validation;

/// <summary>One emulator for the whole class: none of its tests may reach it, so its log stays empty.</summary>
public sealed class UntouchedEmulator : IAsyncLifetime
{
    public KlingEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync() => Emulator = await KlingEmulator.StartAsync();

    public async Task DisposeAsync() => await Emulator.DisposeAsync();
}

/// <summary>The client refuses every bad input of the catalog without sending anything.</summary>
public sealed class ValidationEndToEndTests(UntouchedEmulator fixture) : IClassFixture<UntouchedEmulator>, IDisposable
{
    private readonly TestImages images = new();

    public void Dispose() => images.Dispose();

    [Theory]
    [MemberData(nameof(ValidationCatalog.BadNames), MemberType = typeof(ValidationCatalog))]
    public async Task RefusesBeforeSending(string name)
    {
        var bad = ValidationCatalog.BadCase(name);
        var request = bad.Request(images);
        using var client = NewClient(fixture.Emulator);

        var e = await Assert.ThrowsAsync<KlingValidationException>(() => ValidationCatalog.SubmitAsync(client, request));

        Assert.Equal(bad.ErrorId, e.ErrorId);
        Assert.Equal(bad.Message(images), e.Message);
        Assert.Empty(fixture.Emulator.Log.Entries);
    }

    internal static KlingClient NewClient(KlingEmulator emulator) =>
        new(new KlingClientOptions(new KlingApiKey("test-key")) { BaseUri = emulator.BaseUri, MaximumRetryCount = 0 });
}

/// <summary>Valid inputs at the edges reach the service, once each, with the bytes that were checked.</summary>
public sealed class ValidationPassesEndToEndTests : IDisposable
{
    private readonly TestImages images = new();

    public void Dispose() => images.Dispose();

    [Fact]
    public async Task BadItemsAreSkippedAndTheRestGoOn()
    {
        await using var emulator = await KlingEmulator.StartAsync();
        using var client = ValidationEndToEndTests.NewClient(emulator);
        var square = Png(300, 300);
        var batch = new[]
        {
            new ImageVideoRequest(images.File("tiny.png", Png(280, 400))),
            new ImageVideoRequest(images.File("square.png", square)),
            new ImageVideoRequest(images.File("cat.png", Gif(400, 400))),
        };

        var refused = new List<string>();
        var created = new List<KlingTask>();
        foreach (var request in batch)
        {
            try { created.Add(await client.SubmitAsync(request)); }
            catch (KlingValidationException e) { refused.Add(e.ErrorId); }
        }

        Assert.Equal(["ImageTooSmall", "ImageFormatNotSupported"], refused);
        Assert.Single(created);
        var entry = Assert.Single(emulator.Log.Entries);
        Assert.Equal(("POST", "/kling/v1/videos/image2video"), (entry.Method, entry.Path));
        Assert.Contains(Convert.ToBase64String(square), entry.Body);
    }

    [Fact]
    public async Task ExactlyTenMegabytesIsSent()
    {
        await using var emulator = await KlingEmulator.StartAsync();
        using var client = ValidationEndToEndTests.NewClient(emulator);
        var image = images.File("ten.jpg", Jpeg(new JpegSpec(1000, 800) { TotalBytes = 10 * 1024 * 1024 }));

        await client.SubmitAsync(new ImageVideoRequest(image));

        Assert.Equal(10 * 1024 * 1024, image.Info!.ByteLength);
        Assert.Equal(1, emulator.Log.Count("POST", "/kling/v1/videos/image2video"));
    }

    [Fact]
    public async Task MultiImageWithBase64AndUrlIsSent()
    {
        await using var emulator = await KlingEmulator.StartAsync();
        using var client = ValidationEndToEndTests.NewClient(emulator);
        var request = new MultiImageVideoRequest(
        [
            images.File("a.png", Png(400, 400)),
            KlingImage.FromText("data:image/png;base64," + Convert.ToBase64String(Png(500, 500))),
            KlingImage.FromText("https://example.com/c.png"),
        ]) { AspectRatio = "1:1", Prompt = "three cats" };

        await client.SubmitAsync(request);

        var entry = Assert.Single(emulator.Log.Entries);
        Assert.Equal("/kling/v1/videos/multi-image2video", entry.Path);
        Assert.DoesNotContain("data:", entry.Body);
        Assert.Contains("\"https://example.com/c.png\"", entry.Body);
    }
}
