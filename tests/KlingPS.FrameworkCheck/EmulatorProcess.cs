using System;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace KlingPS.FrameworkCheck
{
    /// <summary>
    /// The emulator as a .NET process on 127.0.0.1 (a free port), with short task times. It stops when this process
    /// closes its stdin, so it also dies with this process. Faults are set through its admin surface.
    /// </summary>
    internal sealed class EmulatorProcess : IDisposable
    {
        private readonly Process _process;
        private readonly HttpClient _admin = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        private EmulatorProcess(Process process, Uri baseUri)
        {
            _process = process;
            BaseUri = baseUri;
        }

        public Uri BaseUri { get; }

        public static async Task<EmulatorProcess> StartAsync(string emulatorDll)
        {
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            var start = new ProcessStartInfo(string.IsNullOrEmpty(dotnet) ? "dotnet" : dotnet,
                "\"" + emulatorDll + "\" --port 0 --submitted-seconds 0.1 --generation-seconds 0.3")
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException("the emulator did not start");
            const string Ready = "KlingPS emulator listening on ";
            var line = process.StandardOutput.ReadLineAsync();
            if (await Task.WhenAny(line, Task.Delay(TimeSpan.FromSeconds(60))).ConfigureAwait(false) != line || line.Result == null
                || !line.Result.StartsWith(Ready, StringComparison.Ordinal))
            {
                try { process.Kill(); } catch (InvalidOperationException) { }
                throw new InvalidOperationException("the emulator did not say it was listening within 60 s: " + (line.IsCompleted ? line.Result : "(nothing)"));
            }
            return new EmulatorProcess(process, new Uri(line.Result.Substring(Ready.Length).Trim()));
        }

        /// <summary>Replaces the fault rules (the emulator README's JSON form).</summary>
        public async Task SetFaultsAsync(string json)
        {
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await _admin.PostAsync(new Uri(BaseUri, "_emulator/faults"), content).ConfigureAwait(false);
            Report.Expect(response.IsSuccessStatusCode, "the emulator refused the faults " + json + ": " + (int)response.StatusCode);
        }

        /// <summary>What the emulator serves at a URL, fetched plainly (no retries, no resume).</summary>
        public Task<byte[]> ServedBytesAsync(Uri url) => _admin.GetByteArrayAsync(url);

        /// <summary>Faults injected since the emulator started.</summary>
        public async Task<int> FaultsInjectedAsync()
        {
            var stats = await _admin.GetStringAsync(new Uri(BaseUri, "_emulator/stats")).ConfigureAwait(false);
            var match = Regex.Match(stats, "\"faultsInjected\"\\s*:\\s*(\\d+)");
            Report.Expect(match.Success, "no faultsInjected in the emulator's stats: " + stats);
            return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        public void Dispose()
        {
            _admin.Dispose();
            try
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(10000)) _process.Kill();
            }
            catch (InvalidOperationException) { }
            _process.Dispose();
        }
    }
}
