using KlingPS.Emulator.Api;

namespace KlingPS.Emulator;

internal enum CreateOutcome { Created, DuplicateExternalId, ConcurrencyLimit }

/// <summary>
/// All tasks of all accounts. One lock guards everything, so the duplicate and concurrency checks
/// and the insert are atomic: concurrent creates can never overshoot an account's limit. Random
/// draws happen under the same lock, so a run with serial requests repeats exactly.
/// </summary>
internal sealed class TaskStore(EmulatorOptions options, SeededRandom random)
{
    // Reasons Kling gives for tasks refused by moderation after they were accepted.
    private static readonly string[] RiskFailures =
    [
        "Failure to pass the risk control system",
        "The content you uploaded may violate the platform's content security policy",
    ];

    private readonly object gate = new();
    private readonly List<EmulatedTask> tasks = [];
    private readonly Dictionary<string, EmulatedTask> byTaskId = [];
    private readonly Dictionary<string, EmulatedTask> byVideoId = [];
    private readonly Dictionary<(string Account, string ExternalId), EmulatedTask> byExternalId = [];

    public int Count { get { lock (gate) return tasks.Count; } }

    public IReadOnlyList<EmulatedTask> Snapshot() { lock (gate) return [.. tasks]; }

    public CreateOutcome TryCreate(string account, string route, CreateRequest request, out EmulatedTask? task)
    {
        task = null;
        var now = DateTimeOffset.UtcNow;
        lock (gate)
        {
            if (options.UniqueExternalTaskIds && request.ExternalTaskId is { } externalId && byExternalId.ContainsKey((account, externalId)))
                return CreateOutcome.DuplicateExternalId;
            int active = tasks.Count(t => t.Account == account && !t.IsFinalAt(now));
            if (active >= options.Concurrency) return CreateOutcome.ConcurrencyLimit;

            // Draw every value for every task, in a fixed order, so one task's outcome never shifts another's.
            string taskId = UniqueDigits(byTaskId, 1_000_000_000_000_000_000, long.MaxValue);
            string videoId = UniqueDigits(byVideoId, 100_000_000_000_000_000, 1_000_000_000_000_000_000);
            bool riskFailure = random.NextDouble() < options.TaskFailureRate;
            string riskReason = RiskFailures[random.Next(RiskFailures.Length)];

            // Answer shapes rotate instead of being drawn, so any six consecutive tasks show every
            // combination and even a short test meets them all.
            int index = tasks.Count;

            // Unusable images fail as soon as the service looks at them, without processing.
            var processingAt = now + options.SubmittedTime;
            var finishedAt = request.LaterFailure is null ? processingAt + options.GenerationTime : processingAt;
            task = new EmulatedTask
            {
                TaskId = taskId,
                Account = account,
                Route = route,
                ExternalTaskId = request.ExternalTaskId,
                CallbackUrl = request.CallbackUrl,
                Duration = request.Duration,
                CreatedAt = now,
                ProcessingAt = processingAt,
                FinishedAt = finishedAt,
                FailureMessage = request.LaterFailure ?? (riskFailure ? riskReason : null),
                VideoId = videoId,
                VideoPaddingBytes = options.VideoPaddingBytes,
                PendingResult = (PendingResult)(index % 3),
                EmptyStatusMessage = index % 2 == 0,
                DecimalDuration = index / 3 % 2 == 1,
            };
            tasks.Add(task);
            byTaskId[taskId] = task;
            byVideoId[videoId] = task;
            // Without uniqueness, the newest task with an external id is the one a query by it finds.
            if (task.ExternalTaskId is { } id) byExternalId[(account, id)] = task;
            return CreateOutcome.Created;
        }
    }

    /// <summary>A task of this account created on this route, by task_id or (if allowed) external_task_id.</summary>
    public EmulatedTask? Find(string account, string route, string id, bool allowExternalId)
    {
        lock (gate)
        {
            var task = byTaskId.GetValueOrDefault(id);
            if (task is null && allowExternalId) task = byExternalId.GetValueOrDefault((account, id));
            return task is not null && task.Account == account && task.Route == route ? task : null;
        }
    }

    /// <summary>The account's tasks on the route, newest first.</summary>
    public List<EmulatedTask> List(string account, string route, int skip, int take)
    {
        lock (gate)
        {
            return tasks.AsEnumerable().Reverse()
                .Where(t => t.Account == account && t.Route == route)
                .Skip(skip).Take(take).ToList();
        }
    }

    /// <summary>The account's newest task on the route created before <paramref name="task"/>, or null.</summary>
    public EmulatedTask? Previous(EmulatedTask task)
    {
        lock (gate)
        {
            return tasks.TakeWhile(t => !ReferenceEquals(t, task))
                .LastOrDefault(t => t.Account == task.Account && t.Route == task.Route);
        }
    }

    public bool HasTask(string account, string route)
    {
        lock (gate) return tasks.Any(t => t.Account == account && t.Route == route);
    }

    public EmulatedTask? FindByVideoId(string videoId)
    {
        lock (gate) return byVideoId.GetValueOrDefault(videoId);
    }

    private string UniqueDigits(Dictionary<string, EmulatedTask> taken, long min, long maxExclusive)
    {
        while (true)
        {
            string id = random.NextInt64(min, maxExclusive).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!taken.ContainsKey(id)) return id;
        }
    }
}
