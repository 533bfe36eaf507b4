package teamchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CPU time and memory of a process on this machine, from {@code /proc}. */
final class ProcessStats {

  /** USER_HZ: the unit of the CPU times in /proc/<pid>/stat; 100 on every Linux we run on. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcessStats() {}

  /** User plus system CPU seconds the process has used so far. */
  static double cpuSeconds(long pid) {
    try {
      return cpuSecondsOfStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  /** utime + stime (fields 14 and 15) of a /proc/<pid>/stat line, in seconds. */
  static double cpuSecondsOfStat(String stat) {
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long utime = Long.parseLong(fields[11]);
    long stime = Long.parseLong(fields[12]);
    return (utime + stime) / TICKS_PER_SECOND;
  }

  /** Resident set size in bytes (VmRSS), or -1. */
  static long rssBytes(long pid) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
      for (String line : lines) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      // gone
    }
    return -1;
  }

  /** Sum of {@link #cpuSeconds} over the process and its descendants (PostgreSQL's backends). */
  static double treeCpuSeconds(long pid) {
    double total = cpuSeconds(pid);
    for (ProcessHandle child :
        ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of())) {
      double seconds = cpuSeconds(child.pid());
      if (!Double.isNaN(seconds)) {
        total += seconds;
      }
    }
    return total;
  }
}
