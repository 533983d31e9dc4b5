using System.Management.Automation;
using KlingPS.Infrastructure;

namespace KlingPS.Tests.Module;

/// <summary>
/// Failures on this machine have kinds of their own: their ErrorRecords are named for what happened (not after the
/// service, not "invalid argument") and carry the category a script would test for.
/// </summary>
public class LocalErrorTests
{
    [Theory]
    [InlineData(KlingErrorKind.FileExists, "FileExists", ErrorCategory.ResourceExists)]
    [InlineData(KlingErrorKind.NoVideo, "NoVideo", ErrorCategory.InvalidOperation)]
    [InlineData(KlingErrorKind.JournalInvalid, "JournalInvalid", ErrorCategory.InvalidData)]
    [InlineData(KlingErrorKind.JournalLocked, "JournalLocked", ErrorCategory.ResourceBusy)]
    [InlineData(KlingErrorKind.VideoTooLarge, "VideoTooLarge", ErrorCategory.LimitsExceeded)]
    [InlineData(KlingErrorKind.LocalFile, "FileError", ErrorCategory.WriteError)]
    public void A_local_failure_has_its_own_error_id_and_category(KlingErrorKind kind, string id, ErrorCategory category)
    {
        var record = ErrorRecords.From(new KlingApiException(kind, "what happened"), "cat.mp4");

        Assert.Equal(id, record.FullyQualifiedErrorId);
        Assert.Equal(category, record.CategoryInfo.Category);
        Assert.Equal("cat.mp4", record.TargetObject);
    }

    [Fact]
    public void Only_a_file_in_the_way_recommends_Force()
    {
        Assert.Equal("Use -Force to replace it.", Messages.RecommendedAction(new KlingApiException(KlingErrorKind.FileExists, "cat.mp4 already exists.")));
        Assert.Null(Messages.RecommendedAction(new KlingApiException(KlingErrorKind.LocalFile, "cat.mp4: disk full.")));
    }
}
