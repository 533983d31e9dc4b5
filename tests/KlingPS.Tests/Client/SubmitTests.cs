using System.Text.Json;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Client;

/// <summary>What a submission puts on the wire, against the emulator over real loopback HTTP.</summary>
public class SubmitTests
{
    private static JsonElement LastCreateBody(Emulated e) =>
        JsonDocument.Parse(e.Emulator.Log.Entries.Last(x => x.Method == "POST").Body!).RootElement;

    [Fact]
    public async Task Every_image2video_field_has_its_wire_form()
    {
        await using var e = await Emulated.StartAsync();
        var image = e.Png("cat.png");
        var tail = e.Png("tail.png");
        var request = new ImageVideoRequest(KlingImage.FromFile(image))
        {
            Prompt = "slow push-in", NegativePrompt = "blur", Model = "kling-v2-6", Mode = "pro", Duration = 10, CfgScale = 0.25,
            ImageTail = KlingImage.FromFile(tail), CallbackUrl = new Uri("http://127.0.0.1:9/hook"), ExternalTaskId = "job-1",
        };

        var task = await e.Client.SubmitAsync(request);

        var body = LastCreateBody(e);
        Assert.Equal(Convert.ToBase64String(File.ReadAllBytes(image)), body.GetProperty("image").GetString());
        Assert.Equal(Convert.ToBase64String(File.ReadAllBytes(tail)), body.GetProperty("image_tail").GetString());
        Assert.Equal("slow push-in", body.GetProperty("prompt").GetString());
        Assert.Equal("blur", body.GetProperty("negative_prompt").GetString());
        Assert.Equal("kling-v2-6", body.GetProperty("model_name").GetString());
        Assert.Equal("pro", body.GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.String, body.GetProperty("duration").ValueKind);
        Assert.Equal("10", body.GetProperty("duration").GetString());
        Assert.Equal(0.25, body.GetProperty("cfg_scale").GetDouble());
        Assert.Equal("http://127.0.0.1:9/hook", body.GetProperty("callback_url").GetString());
        Assert.Equal("job-1", body.GetProperty("external_task_id").GetString());
        Assert.Equal(KlingRoute.ImageToVideo, task.Route);
        Assert.Equal(KlingTaskStatus.Submitted, task.Status);
        Assert.Equal("job-1", task.ExternalTaskId);
        Assert.Equal(image, task.Source);
        Assert.Matches("^[0-9]+$", task.TaskId);
    }

    [Fact]
    public async Task Unset_fields_are_left_out_and_an_external_id_is_always_sent()
    {
        await using var e = await Emulated.StartAsync();
        await e.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromUrl(new Uri("https://example.com/cat.jpg"))));

        var names = LastCreateBody(e).EnumerateObject().Select(p => p.Name).OrderBy(n => n).ToArray();
        Assert.Equal(new[] { "external_task_id", "image" }, names);
        Assert.StartsWith("klingps-", LastCreateBody(e).GetProperty("external_task_id").GetString());
        Assert.Equal("https://example.com/cat.jpg", LastCreateBody(e).GetProperty("image").GetString());
    }

    [Fact]
    public async Task Masks_are_sent_as_groups_of_mask_and_points()
    {
        await using var e = await Emulated.StartAsync();
        var mask = e.Png("mask.png", 320, 320);
        var request = new ImageVideoRequest(KlingImage.FromFile(e.Png("harbour.png", 320, 320))) { StaticMask = KlingImage.FromFile(mask) };
        request.DynamicMasks.Add(new DynamicMask(KlingImage.FromFile(mask), new[] { new TrajectoryPoint(10, 20), new TrajectoryPoint(300, 200) }));

        await e.Client.SubmitAsync(request);

        var body = LastCreateBody(e);
        Assert.Equal(Convert.ToBase64String(File.ReadAllBytes(mask)), body.GetProperty("static_mask").GetString());
        var group = body.GetProperty("dynamic_masks")[0];
        Assert.Equal(Convert.ToBase64String(File.ReadAllBytes(mask)), group.GetProperty("mask").GetString());
        Assert.Equal(300, group.GetProperty("trajectories")[1].GetProperty("x").GetInt32());
        Assert.Equal(20, group.GetProperty("trajectories")[0].GetProperty("y").GetInt32());
    }

    [Fact]
    public async Task Multi_image_request_sends_an_image_list()
    {
        await using var e = await Emulated.StartAsync();
        var files = new[] { e.Png("a.png", 300, 300), e.Png("b.png", 300, 300), e.Png("c.png", 300, 300) };
        var request = new MultiImageVideoRequest(files.Select(KlingImage.FromFile))
        {
            Prompt = "The astronauts got up and left.", Model = "kling-v1-6", AspectRatio = "9:16", Duration = 5, Mode = "std",
        };

        var task = await e.Client.SubmitAsync(request);

        var body = LastCreateBody(e);
        Assert.Equal("/kling/v1/videos/multi-image2video", e.Emulator.Log.Entries.Last(x => x.Method == "POST").Path);
        Assert.Equal(3, body.GetProperty("image_list").GetArrayLength());
        Assert.Equal(Convert.ToBase64String(File.ReadAllBytes(files[2])), body.GetProperty("image_list")[2].GetProperty("image").GetString());
        Assert.Equal("9:16", body.GetProperty("aspect_ratio").GetString());
        Assert.Equal("5", body.GetProperty("duration").GetString());
        Assert.Equal(KlingRoute.MultiImageToVideo, task.Route);
    }

    [Fact]
    public async Task A_data_uri_prefix_is_removed_before_sending()
    {
        await using var e = await Emulated.StartAsync();
        var base64 = Convert.ToBase64String(TestImages.Png(400, 400));
        await e.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromText("data:image/png;base64," + base64)));
        Assert.Equal(base64, LastCreateBody(e).GetProperty("image").GetString());
    }

    [Fact]
    public async Task The_announced_length_matches_the_streamed_body()
    {
        await using var e = await Emulated.StartAsync();
        var big = Path.Combine(e.Folder, "big.png");
        File.WriteAllBytes(big, TestImages.Png(1200, 900));
        var request = new ImageVideoRequest(KlingImage.FromFile(big));
        RequestValidator.Validate(request);
        using var content = RequestBody.For(request, "id-1");
        using var stream = new MemoryStream();
        await content.CopyToAsync(stream);
        Assert.Equal(content.Headers.ContentLength, stream.Length);
        var parsed = JsonDocument.Parse(stream.ToArray()).RootElement;
        Assert.Equal(File.ReadAllBytes(big), Convert.FromBase64String(parsed.GetProperty("image").GetString()!));
    }
}
