using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Batch;
using KlingPS.Core.Callbacks;
using KlingPS.Core.Client;
using KlingPS.Core.Downloading;
using KlingPS.Core.Models;
using KlingPS.Core.Waiting;

namespace KlingPS.FrameworkCheck
{
    /// <summary>
    /// The work, through the core's own types (bound to the module folder's KlingPS.Core.dll): only reached once the
    /// module is imported, so that nothing of it is needed before the resolver is there.
    /// </summary>
    internal static class Checks
    {
        private static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);
        // The shortest a wait for the idle timeout can measure: timers count whole milliseconds, the stopwatch does not.
        private static readonly TimeSpan IdleAtLeast = Idle - TimeSpan.FromMilliseconds(20);
        private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(2);
        private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

        public static async Task RunAsync(Report report, EmulatorProcess emulator, string work)
        {
            using var client = Client(emulator, TimeSpan.FromSeconds(10));
            var still = Path.Combine(work, "harbour.png");
            using (var sample = typeof(Checks).Assembly.GetManifestResourceStream("harbour.png"))
            using (var file = File.Create(still))
                sample.CopyTo(file);

            report.Check("journal keys hash as SHA-256 (IncrementalHash)", () =>
            {
                var key = RequestKey.Of("abc");
                Report.Expect(key == "ba7816bf8f01cfea414140de5dae2223", "RequestKey.Of(\"abc\") is " + key + ", not the start of FIPS 180-2's SHA-256(\"abc\")");
                return key;
            });

            report.Check("callback signatures: the Standard Webhooks test vector verifies (HMAC-SHA256 through IncrementalHash)", () =>
            {
                var headers = new Dictionary<string, string>
                {
                    ["webhook-id"] = "msg_p5jXN8AQM9LWM0D4loKWxJek", ["webhook-timestamp"] = "1614265330",
                    ["webhook-signature"] = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                };
                return WebhookSignature.Verify(CallbackRequest.Of("{\"test\": 2432232314}", headers),
                    WebhookKey.FromSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), DateTimeOffset.FromUnixTimeSeconds(1614265330));
            });
            report.Check("the journal writes its header and typed records, and reads them back after a BOM and CRLF", () =>
            {
                var path = Path.Combine(work, "batch.journal");
                using (var journal = BatchJournal.Open(path))
                    journal.RecordSubmitted("k1", new KlingTask("101", KlingRoute.ImageToVideo, KlingTaskStatus.Submitted, null, null, null, null, new KlingVideo[0], null, null));
                var text = File.ReadAllText(path);
                Report.Expect(text.StartsWith("{\"journal\":\"KlingPS batch journal\",\"format\":2,", StringComparison.Ordinal), "the journal starts " + text);
                File.WriteAllText(path, text.Replace("\n", "\r\n"), new UTF8Encoding(true));
                using (var journal = BatchJournal.Open(path))
                {
                    var id = journal.Claim("k1", null, new string[0]).Task?.TaskId;
                    Report.Expect(id == "101", "the journal read back task " + id);
                }
                return path;
            });

            report.Check("video file names from sources holding | \" < > and control characters", () =>
            {
                var folder = Path.Combine(work, "names");
                var cases = new[]
                {
                    ("C:\\in\\a|b\"c<d>e.png", "a_b_c_d_e.mp4"),
                    ("https://cdn.example/v/x%7Cy%22%3Cz%3E%01.jpg?sig=1", "x_y__z__.mp4"),
                    ("/in/bell\u0007\tname.png", "bell__name.mp4"),
                    ("/in/nul\0.png", "nul_.mp4"),
                };
                foreach (var (source, expected) in cases)
                {
                    var task = new KlingTask("123456", KlingRoute.ImageToVideo, KlingTaskStatus.Succeeded, null, null, null, null, new KlingVideo[0], null, source);
                    var path = VideoFileNames.PathFor(folder, task, 0);
                    Report.Expect(path == Path.Combine(folder, expected), "a task from " + Printable(source) + " is saved as " + Printable(path) + ", not " + expected);
                }
                return folder;
            });

            var submitted = await report.CheckAsync("submit: the emulator creates a task for the image", async () =>
            {
                var task = await Bounded(client.SubmitAsync(new ImageVideoRequest(KlingImage.FromFile(still)) { Prompt = "slow push-in" }), "the submission");
                Report.Expect(!string.IsNullOrEmpty(task.TaskId), "no task id");
                return task;
            });

            var finished = submitted == null ? null : await report.CheckAsync("wait: the task succeeds, with one video", async () =>
            {
                KlingTask? final = null;
                var waiter = new TaskWaiter(client, new WaitOptions
                {
                    MinimumPollInterval = TimeSpan.FromMilliseconds(100),
                    MaximumPollInterval = TimeSpan.FromMilliseconds(500),
                    Timeout = TimeSpan.FromSeconds(20),
                });
                waiter.Finished += t => final = t;
                waiter.Add(submitted);
                waiter.Complete();
                await Bounded(waiter.RunAsync(CancellationToken.None), "the wait");
                Report.Expect(final != null, "the waiter reported no finished task");
                Report.Expect(final!.Status == KlingTaskStatus.Succeeded && final.Videos.Count == 1, "the task ended " + final.Status + " with " + final.Videos.Count + " videos");
                return final;
            });
            if (finished == null) return;
            var video = finished.Videos[0];
            var served = await emulator.ServedBytesAsync(video.Url).ConfigureAwait(false);

            await report.CheckAsync("download: the video is saved under the image's name with the emulator's bytes", async () =>
            {
                var folder = Path.Combine(work, "clips");
                var path = VideoFileNames.PathFor(folder, finished, 0);
                Report.Expect(Path.GetFileName(path) == "harbour.mp4", "named " + path);
                var file = await Bounded(new VideoDownloader(client).DownloadAsync(video, path, force: false), "the download");
                ExpectServed(file.FullName, served, video);
                Report.Expect(Directory.GetFiles(folder).Length == 1, "other files left: " + string.Join(", ", Directory.GetFiles(folder)));
                return file;
            });

            // A body that stalls after its headers: the idle timeout ends it and the request is retried; a cancellation
            // ends it at once. .NET Framework ignores the token of a pending read; the client closes the response.
            using var idleClient = Client(emulator, Idle);
            using var patientClient = Client(emulator, TimeSpan.FromMinutes(5));
            await report.CheckAsync("a download that stalls after its headers ends after the idle timeout and is resumed whole", async () =>
            {
                await emulator.SetFaultsAsync("[{\"target\":\"Download\",\"kind\":\"StallAfterHeaders\",\"times\":1}]").ConfigureAwait(false);
                var watch = Stopwatch.StartNew();
                var file = await Bounded(new VideoDownloader(idleClient).DownloadAsync(video, Path.Combine(work, "idle", "v.mp4"), false), "the stalled download");
                ExpectTook(watch.Elapsed, IdleAtLeast, Idle + Prompt);
                ExpectServed(file.FullName, served, video);
                return file;
            });

            await report.CheckAsync("cancelling a download that stalls returns at once and leaves no partial file", async () =>
            {
                await emulator.SetFaultsAsync("[{\"target\":\"Download\",\"kind\":\"StallAfterHeaders\"}]").ConfigureAwait(false);
                var folder = Path.Combine(work, "cancelled");
                using var cancel = new CancellationTokenSource();
                await ExpectCancelledAtOnce(emulator, cancel, () => new VideoDownloader(patientClient).DownloadAsync(video, Path.Combine(folder, "v.mp4"), false, null, null, cancel.Token));
                Report.Expect(Directory.GetFiles(folder).Length == 0, "left: " + string.Join(", ", Directory.GetFiles(folder)));
                return folder;
            });

            await report.CheckAsync("an API answer that stalls after its headers ends after the request timeout and is retried", async () =>
            {
                await emulator.SetFaultsAsync("[{\"target\":\"Query\",\"kind\":\"StallAfterHeaders\",\"times\":1}]").ConfigureAwait(false);
                var watch = Stopwatch.StartNew();
                var task = await Bounded(idleClient.GetTaskAsync(finished.Route, finished.TaskId), "the stalled query");
                ExpectTook(watch.Elapsed, IdleAtLeast, Idle + Prompt);
                Report.Expect(task.Status == KlingTaskStatus.Succeeded, "the query read " + task.Status);
                return task;
            });

            await report.CheckAsync("cancelling while an API answer stalls returns at once", async () =>
            {
                await emulator.SetFaultsAsync("[{\"target\":\"Query\",\"kind\":\"StallAfterHeaders\"}]").ConfigureAwait(false);
                using var cancel = new CancellationTokenSource();
                await ExpectCancelledAtOnce(emulator, cancel, () => patientClient.GetTaskAsync(finished.Route, finished.TaskId, null, cancel.Token));
                return cancel;
            });
            await emulator.SetFaultsAsync("[]").ConfigureAwait(false);
        }

        private static KlingClient Client(EmulatorProcess emulator, TimeSpan requestTimeout) =>
            new KlingClient(new KlingClientOptions(new KlingApiKey("test-key"))
            {
                BaseUri = emulator.BaseUri,
                RetryInterval = TimeSpan.FromMilliseconds(100),
                MaximumRetryDelay = TimeSpan.FromSeconds(1),
                RequestTimeout = requestTimeout,
            });

        /// <summary>Starts the work, waits (at most 10 s) until the emulator stalls it, cancels, and expects it to end within <see cref="Prompt"/>.</summary>
        private static async Task ExpectCancelledAtOnce(EmulatorProcess emulator, CancellationTokenSource cancel, Func<Task> start)
        {
            var before = await emulator.FaultsInjectedAsync().ConfigureAwait(false);
            var work = start();
            var watch = Stopwatch.StartNew();
            while (await emulator.FaultsInjectedAsync().ConfigureAwait(false) == before)
            {
                Report.Expect(watch.Elapsed < TimeSpan.FromSeconds(10), "the request never reached the emulator's stall");
                await Task.Delay(20).ConfigureAwait(false);
            }
            await Task.Delay(300).ConfigureAwait(false); // the headers and half the body reach the client
            Report.Expect(!work.IsCompleted, "the work ended before it was cancelled: " + work.Status);
            watch.Restart();
            cancel.Cancel();
            var ended = await Task.WhenAny(work, Task.Delay(Limit)).ConfigureAwait(false) == work;
            Report.Expect(ended, "still running " + Limit.TotalSeconds + " s after the cancellation");
            ExpectTook(watch.Elapsed, TimeSpan.Zero, Prompt);
            Report.Expect(work.IsCanceled || work.Exception?.InnerException is OperationCanceledException,
                "ended " + work.Status + (work.Exception == null ? "" : ": " + work.Exception.InnerException));
        }

        private static async Task<T> Bounded<T>(Task<T> work, string what)
        {
            await Bounded((Task)work, what).ConfigureAwait(false);
            return await work.ConfigureAwait(false);
        }

        private static async Task Bounded(Task work, string what)
        {
            var ended = await Task.WhenAny(work, Task.Delay(Limit)).ConfigureAwait(false) == work;
            Report.Expect(ended, what + " was still running after " + Limit.TotalSeconds + " s");
            await work.ConfigureAwait(false);
        }

        private static void ExpectTook(TimeSpan took, TimeSpan least, TimeSpan most) =>
            Report.Expect(took >= least && took <= most, "took " + took.TotalSeconds.ToString("0.00") + " s, expected " + least.TotalSeconds + " to " + most.TotalSeconds + " s");

        private static void ExpectServed(string path, byte[] served, KlingVideo video)
        {
            var saved = File.ReadAllBytes(path);
            // Enumerable named: C# 14 binds an array's SequenceEqual to System.Memory, which this exe must not reference.
            Report.Expect(Enumerable.SequenceEqual(saved, served), "saved " + saved.Length + " bytes, not the " + served.Length + " the emulator serves");
            Report.Expect(Encoding.ASCII.GetString(saved).IndexOf("KlingPS emulator video " + video.Id, StringComparison.Ordinal) >= 0, "not the file of video " + video.Id);
        }

        private static string Printable(string text) =>
            string.Concat(text.Select(c => char.IsControl(c) ? "\\u" + ((int)c).ToString("x4") : c.ToString()));
    }
}
