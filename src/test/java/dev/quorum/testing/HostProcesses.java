package dev.quorum.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Processes on this machine as {@code /proc} lists them, found by their command line exactly as
 * they were started ({@code sleep 3017}). A sandboxed run's processes carry PIDs of its own PID
 * namespace, so tests find them by what they run, and a killed process waiting as a zombie for
 * its reaper does not count as running.
 */
public final class HostProcesses {
    private HostProcesses() {}

    /** Whether a process whose arguments, joined by blanks, are {@code commandLine} is running. */
    public static boolean running(String commandLine) {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .anyMatch(p -> commandLine.equals(commandLine(p)) && !zombie(p));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
    }

    private static String commandLine(Path proc) {
        try {
            byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return ""; // gone meanwhile
        }
    }

    private static boolean zombie(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            String state = stat.substring(stat.lastIndexOf(')') + 1).strip();
            return state.startsWith("Z") || state.startsWith("X");
        } catch (IOException e) {
            return true; // gone meanwhile
        }
    }
}
