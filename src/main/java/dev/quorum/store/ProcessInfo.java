package dev.quorum.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What Linux's {@code /proc} says about a process of this user; empty where it says nothing (gone, another user's, not Linux). */
final class ProcessInfo {
    private static final int SHOWN = 200;
    private static final Set<String> CLASS_PATH = Set.of("-cp", "-classpath", "--class-path");

    private ProcessInfo() {
    }

    /**
     * Its command line, readable in one line of an error: a JVM's class path (which would fill it)
     * shown as {@code …}, control characters replaced, cut to a readable length.
     */
    static Optional<String> commandLine(long pid) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")), StandardCharsets.UTF_8);
            List<String> args = new ArrayList<>(List.of(raw.split("\0")));
            for (int i = 0; i + 1 < args.size(); i++) {
                if (CLASS_PATH.contains(args.get(i))) args.set(i + 1, "…");
            }
            String line = String.join(" ", args).replaceAll("\\p{Cntrl}", "?").strip();
            if (line.isEmpty()) return Optional.empty();
            return Optional.of(line.length() > SHOWN ? line.substring(0, SHOWN) + "…" : line);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** Its working directory (a redis-server's is its {@code dir}: it changes into it on reading that setting). */
    static Optional<Path> workingDirectory(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", String.valueOf(pid), "cwd")));
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
