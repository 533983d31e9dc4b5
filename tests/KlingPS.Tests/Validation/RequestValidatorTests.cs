using System.Management.Automation;
using KlingPS.Tests.Support;
using Xunit;
using static KlingPS.Tests.Support.TestImages;

namespace KlingPS.Tests.Validation;

public sealed class RequestValidatorTests : IDisposable
{
    private readonly TestImages images = new();

    public void Dispose() => images.Dispose();

    [Theory]
    [MemberData(nameof(ValidationCatalog.BadNames), MemberType = typeof(ValidationCatalog))]
    public void RefusesBadInput(string name)
    {
        var bad = ValidationCatalog.BadCase(name);
        var request = bad.Request(images);

        var e = Assert.Throws<KlingValidationException>(() => ValidationCatalog.Validate(request));

        Assert.Equal(bad.ErrorId, e.ErrorId);
        Assert.Equal(bad.Message(images), e.Message);
        Assert.Equal(KlingErrorKind.Validation, e.Kind);
        Assert.False(e.IsRetryable);
        Assert.False(string.IsNullOrEmpty(e.Rule));
        Assert.False(string.IsNullOrEmpty(e.Target));
        Assert.NotNull(e.Item);
    }

    [Theory]
    [MemberData(nameof(ValidationCatalog.GoodNames), MemberType = typeof(ValidationCatalog))]
    public void AcceptsEdgeCases(string name)
    {
        var request = ValidationCatalog.GoodCase(name).Request(images);

        ValidationCatalog.Validate(request);

        foreach (var image in ValidationCatalog.ImagesOf(request))
        {
            if (image.Kind == KlingImageKind.Url) Assert.Null(image.Info);
            else Assert.True(image.Info is { Format: ImageFormat.Jpeg or ImageFormat.Png, Width: >= 300, Height: >= 300 }, $"{image.Name}: {image.Info}");
        }
    }

    [Fact]
    public void CatalogCoversTheIssue()
    {
        Assert.True(ValidationCatalog.Bad.Count >= 30);
        // The ids of reading callbacks are not about requests: CallbackRefusalTests produces each of them.
        var ids = typeof(ValidationErrorIds).GetFields().Select(f => (string)f.GetValue(null)!).Except(Callbacks.CallbackRefusalTests.Ids);
        // Every id is in the catalog but the ones only a file system or a batch can produce, and the task id of a query
        // (TaskIdsTests).
        var untested = ids.Except(ValidationCatalog.Bad.Select(b => b.ErrorId)).Order();
        Assert.Equal(["ExternalTaskIdDuplicate", "ImageUnreadable", "TaskIdInvalid"], untested);
    }

    [Fact]
    public void FileImageGetsItsHeader()
    {
        var image = images.File("cat.jpg", Jpeg(new JpegSpec(640, 480) { Exif = true }));

        RequestValidator.Validate(new ImageVideoRequest(image));

        Assert.Equal(ImageFormat.Jpeg, image.Info!.Format);
        Assert.Equal((640, 480), (image.Info.Width, image.Info.Height));
        Assert.Equal(new FileInfo(image.Path!).Length, image.Info.ByteLength);
    }

    [Fact]
    public void Base64ImageGetsItsDecodedLength()
    {
        var png = Png(400, 300);
        var image = KlingImage.FromText("data:image/png;base64," + Convert.ToBase64String(png));

        RequestValidator.Validate(new ImageVideoRequest(image));

        Assert.Equal(Convert.ToBase64String(png), image.Base64);
        Assert.Equal(png.Length, image.Info!.ByteLength);
    }

    [Fact]
    public void UrlPassesUnchanged()
    {
        var image = KlingImage.FromText("https://example.com/a%20cat.png?x=1");

        RequestValidator.Validate(new ImageVideoRequest(image));

        Assert.Equal("https://example.com/a%20cat.png?x=1", image.Url!.OriginalString);
        Assert.Null(image.Info);
    }

    [Fact]
    public void ErrorCarriesItemTargetAndCategory()
    {
        var path = images.Write("tiny.png", Png(280, 400));
        var tiny = Assert.Throws<KlingValidationException>(() => RequestValidator.Validate(new ImageVideoRequest(KlingImage.FromFile(path))));
        Assert.Equal((path, "tiny.png", ValidationCategory.InvalidData), (tiny.Item, tiny.Target, tiny.Category));

        var request = new ImageVideoRequest(KlingImage.FromFile(path)) { Prompt = new string('a', 2501) };
        var prompt = Assert.Throws<KlingValidationException>(() => RequestValidator.Validate(request));
        Assert.Same(request, prompt.Item);
        Assert.Equal(ValidationCategory.LimitsExceeded, prompt.Category);

        var missing = Assert.Throws<KlingValidationException>(() => RequestValidator.Validate(new ImageVideoRequest(KlingImage.FromFile(images.PathOf("none.png")))));
        Assert.Equal(ValidationCategory.ObjectNotFound, missing.Category);

        var url = Assert.Throws<KlingValidationException>(() => RequestValidator.Validate(new ImageVideoRequest(KlingImage.FromText("ftp://example.com/a.png"))));
        Assert.Equal(new Uri("ftp://example.com/a.png"), url.Item);
    }

    [Fact]
    public void FirstProblemIsTheStableOne()
    {
        // Text and numbers are checked before any image is read.
        var request = new ImageVideoRequest(KlingImage.FromFile(images.Write("tiny.png", Png(280, 400)))) { Prompt = new string('a', 2501), Duration = 7 };

        var e = Assert.Throws<KlingValidationException>(() => RequestValidator.Validate(request));

        Assert.Equal(ValidationErrorIds.PromptTooLong, e.ErrorId);
    }

    [Fact]
    public void CategoriesArePowerShellErrorCategories()
    {
        foreach (var name in Enum.GetNames<ValidationCategory>()) Assert.True(Enum.TryParse<ErrorCategory>(name, out _), name);
    }

    [Fact]
    public void BatchIdsRefuseASecondUse()
    {
        var ids = new BatchIds();
        ids.Claim(new ImageVideoRequest(KlingImage.FromText("https://example.com/a.png")) { ExternalTaskId = "job-1" });
        ids.Claim(new ImageVideoRequest(KlingImage.FromText("https://example.com/b.png")));
        ids.Claim(new ImageVideoRequest(KlingImage.FromText("https://example.com/c.png")));
        ids.Claim("job-2", "d.png");
        ids.Claim("JOB-1", "e.png");

        var e = Assert.Throws<KlingValidationException>(() => ids.Claim(new MultiImageVideoRequest(
            [KlingImage.FromText("https://example.com/f.png"), KlingImage.FromText("https://example.com/g.png")]) { ExternalTaskId = "job-1" }));

        Assert.Equal(ValidationErrorIds.ExternalTaskIdDuplicate, e.ErrorId);
        Assert.Equal("External task id 'job-1' is already used by https://example.com/a.png in this batch; each task needs its own.", e.Message);
        Assert.Equal(("job-1", "https://example.com/f.png", ValidationCategory.ResourceExists), (e.Item, e.Target, e.Category));
    }
}
