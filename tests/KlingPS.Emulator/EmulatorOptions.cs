namespace KlingPS.Emulator;

/// <summary>
/// How the emulator behaves. Every property may be changed while it runs (tests change them mid-run);
/// each read is a single atomic load, so requests see either the old or the new value.
/// Port and Seed are read once, at start.
/// </summary>
public sealed class EmulatorOptions
{
    /// <summary>0 picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>Keys the gateway accepts. Thread-safe because tests may add keys while requests run.</summary>
    public ISet<string> ApiKeys { get; } = new LockedSet { "test-key" };

    /// <summary>
    /// Maps a key to its account. When null every key belongs to one shared account, as several
    /// CometAPI keys of one user share the same Kling concurrency pool.
    /// </summary>
    public Func<string, string>? AccountOf { get; set; }

    /// <summary>Task slots per account; a task holds one from submitted until it is final.</summary>
    public int Concurrency { get; set; } = 5;

    public TimeSpan SubmittedTime { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan GenerationTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Added before every API answer (not to file downloads).</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>Share of tasks (0..1) that end "failed" with a content-risk reason.</summary>
    public double TaskFailureRate { get; set; }

    /// <summary>False: the list call answers like any undocumented path on the gateway (the HTML site).</summary>
    public bool ListEndpointSupported { get; set; } = true;

    /// <summary>False: a query finds tasks by task_id only, never by external_task_id.</summary>
    public bool QueryByExternalIdSupported { get; set; } = true;

    /// <summary>
    /// False: a create with an external_task_id the account already used makes another task instead
    /// of answering 1201, and a query by that external id finds the newest of them.
    /// </summary>
    public bool UniqueExternalTaskIds { get; set; } = true;

    /// <summary>
    /// Host name in result URLs. The API listens on 127.0.0.1, so "localhost" makes the video
    /// a different host and the client's "no Authorization to other hosts" rule observable.
    /// </summary>
    public string VideoHost { get; set; } = "localhost";

    /// <summary>Extra bytes in each video created from now on (benchmarks); streamed, never held in memory.</summary>
    public long VideoPaddingBytes { get; set; }

    public bool DownloadSupportsRange { get; set; } = true;

    /// <summary>
    /// Signs callbacks the Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature);
    /// null sends them unsigned, without those headers. "whsec_" + Base64: the key is the decoded bytes;
    /// any other text: the key is its UTF-8 bytes.
    /// </summary>
    /// <exception cref="ArgumentException">Empty, or "whsec_" not followed by Base64.</exception>
    public string? CallbackSecret
    {
        get => callbackSecret;
        set
        {
            if (value is not null) WebhookSignature.KeyOf(value);
            callbackSecret = value;
        }
    }
    private string? callbackSecret;

    /// <summary>Delivers every callback twice (same webhook-id and body), as the service may.</summary>
    public bool DuplicateCallbacks { get; set; }

    /// <summary>Further attempts after a callback delivery fails (no answer, or not 2xx; 410 ends it).</summary>
    public int CallbackRetries { get; set; } = 3;

    /// <summary>Wait before the first retry of a callback; doubled before each further one.</summary>
    public TimeSpan CallbackRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Seeds task outcomes, ids and fault rates so a test run repeats.</summary>
    public int Seed { get; set; } = 12345;

    public FaultList Faults { get; } = new();
}
