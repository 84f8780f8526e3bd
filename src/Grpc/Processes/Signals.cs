using System.Runtime.InteropServices;

namespace EventSourcing.Grpc.Processes;

/// <summary>Asks a process to stop the way a service manager would (SIGTERM), which .NET's Process cannot do.</summary>
internal static partial class Signals
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM on Unix; returns false where that is not possible (the caller then kills).</summary>
    public static bool Terminate(int pid)
        => !OperatingSystem.IsWindows() && Kill(pid, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
