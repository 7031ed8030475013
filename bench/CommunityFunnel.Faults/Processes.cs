using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace CommunityFunnel.Faults;

/// <summary>
/// Child processes: one-shot commands, and the long-running ones (apps, nginx) that must die with the suite even when
/// it is interrupted (Ctrl+C) or fails half-way.
/// </summary>
internal static class Processes
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    static Processes()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        Console.CancelKeyPress += (_, _) => KillAll();
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(
        string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, CancellationToken ct = default)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, (await output).Trim() + (await error is { Length: > 0 } e ? "\n" + e.Trim() : ""));
    }

    /// <summary>Starts a long-running process whose output goes to <paramref name="logFile"/>.</summary>
    public static Process StartLogged(ProcessStartInfo start, string logFile)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start)!;
        Running[process.Id] = process;
        var log = new StreamWriter(logFile, append: true, Encoding.UTF8) { AutoFlush = true };
        var gate = new Lock();
        var closed = false;
        void Write(string? line)
        {
            lock (gate)
            {
                if (line is not null && !closed)
                {
                    log.WriteLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) =>
        {
            lock (gate)
            {
                closed = true;
                log.Dispose();
            }
        };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// SIGKILL: no shutdown hooks, no draining, as a crashed host or the OOM killer ends a process. Only the process
    /// itself unless asked: killing a tree first SIGSTOPs the process while its children are looked up, which on a busy
    /// machine freezes it for seconds, a different fault (a hung instance) from the one meant.
    /// </summary>
    public static async Task KillAsync(Process process, bool entireTree = false)
    {
        if (!process.HasExited)
        {
            process.Kill(entireTree);
        }

        await process.WaitForExitAsync();
        Running.TryRemove(process.Id, out _);
    }

    private static void KillAll()
    {
        foreach (var process in Running.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }
    }
}
