using System.Runtime.InteropServices;
using KlingPS.Emulator;

// Runs the emulator as a process for out-of-process tests (see README.md for the options).
EmulatorOptions options;
bool watchStdin;
try
{
    (options, watchStdin) = CommandLine.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"klingps-emulator: {e.Message}");
    return 2;
}

await using var emulator = await KlingEmulator.StartAsync(options);
Console.WriteLine($"KlingPS emulator listening on {emulator.BaseUri}");

var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
if (watchStdin)
{
    // A parent that dies closes our stdin; stopping then keeps orphaned emulators from holding ports.
    _ = Task.Run(async () =>
    {
        await using var stdin = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (await stdin.ReadAsync(buffer) > 0) { }
        stop.TrySetResult();
    });
}
await stop.Task;
return 0;
