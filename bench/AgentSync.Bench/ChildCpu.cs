using System.Runtime.InteropServices;

namespace AgentSync.Bench;

/// <summary>
/// CPU time (user + system) used by finished child processes, from <c>getrusage(RUSAGE_CHILDREN)</c>. On a shared
/// machine wall time mostly measures the neighbours; CPU time is what the program itself costs.
/// </summary>
internal static partial class ChildCpu
{
    private const int RusageChildren = -1;

    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Milliseconds of CPU used by all children reaped so far, or 0 where unsupported.</summary>
    public static double TotalMilliseconds()
    {
        if (!IsSupported || GetRusage(RusageChildren, out var usage) != 0)
            return 0;
        return (usage.UserSeconds + usage.SystemSeconds) * 1000.0 + (usage.UserMicroseconds + usage.SystemMicroseconds) / 1000.0;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, out RUsage usage);

    // struct rusage on 64-bit Linux: two struct timeval, then fourteen longs this bench does not read.
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxRss;
        public long IxRss;
        public long IdRss;
        public long IsRss;
        public long MinFlt;
        public long MajFlt;
        public long NSwap;
        public long InBlock;
        public long OuBlock;
        public long MsgSnd;
        public long MsgRcv;
        public long NSignals;
        public long NVcsw;
        public long NIvcsw;
    }
}
