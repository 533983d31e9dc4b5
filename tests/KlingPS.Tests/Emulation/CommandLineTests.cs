using KlingPS.Emulator;

namespace KlingPS.Tests.Emulation;

/// <summary>The emulator's command-line options, as Pester starts it.</summary>
public class CommandLineTests
{
    [Fact]
    public void The_fault_and_callback_options_are_read()
    {
        var (options, watchStdin) = CommandLine.Parse(
        [
            "--no-unique-external-id", "--callback-secret", "whsec_c2VjcmV0LWtleS1ieXRlcw==", "--duplicate-callbacks",
            "--callback-retries", "5", "--callback-retry-ms", "250", "--ignore-stdin",
        ]);

        Assert.False(options.UniqueExternalTaskIds);
        Assert.Equal("whsec_c2VjcmV0LWtleS1ieXRlcw==", options.CallbackSecret);
        Assert.True(options.DuplicateCallbacks);
        Assert.Equal(5, options.CallbackRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.CallbackRetryDelay);
        Assert.False(watchStdin);
    }

    [Fact]
    public void The_defaults_keep_external_ids_unique_and_callbacks_unsigned_single_and_retried()
    {
        var (options, watchStdin) = CommandLine.Parse([]);

        Assert.True(options.UniqueExternalTaskIds);
        Assert.Null(options.CallbackSecret);
        Assert.False(options.DuplicateCallbacks);
        Assert.Equal(3, options.CallbackRetries);
        Assert.Equal(TimeSpan.FromSeconds(1), options.CallbackRetryDelay);
        Assert.True(watchStdin);
    }

    [Theory]
    [InlineData("--callback-secret", "whsec_***")]
    [InlineData("--callback-secret")]
    [InlineData("--callback-retries")]
    [InlineData("--gzip-video")]
    public void A_bad_option_is_an_argument_error(params string[] args)
    {
        Assert.Throws<ArgumentException>(() => CommandLine.Parse(args));
    }
}
