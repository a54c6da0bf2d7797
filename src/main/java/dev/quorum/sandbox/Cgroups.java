package dev.quorum.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quorum.config.Sizes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Per-run control groups, where Quorum may make them: they cap a run's processes and memory as a
 * whole (rlimits only cap each process) and let the kernel report that a limit was hit. Works with
 * the unified hierarchy (v2, when the controllers are delegated to Quorum's cgroup) and with the
 * legacy one (v1 {@code pids} and {@code memory}, usually as root). Where neither is writable, runs
 * have per-process limits only, and start-up says so. Immutable and thread-safe.
 */
final class Cgroups {
    private static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);

    /** One place where a run's group is made, and how its limit files are named there. */
    private record Hierarchy(Path parent, boolean unified, boolean pids, boolean memory) {}

    private final List<Hierarchy> hierarchies;
    private final String description;

    private Cgroups(List<Hierarchy> hierarchies, String description) {
        this.hierarchies = List.copyOf(hierarchies);
        this.description = description;
    }

    /** No control groups: per-process limits only. */
    static Cgroups none(String why) {
        return new Cgroups(List.of(), why);
    }

    /** Finds where this process may create child groups with the pids and memory controllers. */
    static Cgroups detect() {
        Map<String, String> own;
        List<String> mounts;
        try {
            own = ownGroups(Files.readAllLines(Path.of("/proc/self/cgroup")));
            mounts = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            return none("no /proc/self/cgroup (not Linux?)");
        }
        List<Hierarchy> legacy = new ArrayList<>();
        Hierarchy unified = null;
        for (String line : mounts) {
            String[] halves = line.split(" - ", 2);
            if (halves.length < 2) continue;
            String[] fields = halves[0].split(" ");
            String[] after = halves[1].split(" ");
            if (fields.length < 5 || after.length < 3) continue;
            String root = fields[3];
            Path mountPoint = Path.of(unescape(fields[4]));
            if (after[0].equals("cgroup2") && own.containsKey("")) {
                Path parent = inside(mountPoint, root, own.get(""));
                String enabled = read(parent.resolve("cgroup.subtree_control")).orElse("");
                if (!enabled.contains("pids") || !enabled.contains("memory")) {
                    write(parent.resolve("cgroup.subtree_control"), "+pids +memory"); // works where delegated
                    enabled = read(parent.resolve("cgroup.subtree_control")).orElse("");
                }
                if (enabled.contains("pids") && enabled.contains("memory")) unified = new Hierarchy(parent, true, true, true);
            } else if (after[0].equals("cgroup")) {
                List<String> options = List.of(after[2].split(","));
                for (String controller : List.of("pids", "memory")) {
                    if (options.contains(controller) && own.containsKey(controller)) {
                        legacy.add(new Hierarchy(inside(mountPoint, root, own.get(controller)), false,
                                controller.equals("pids"), controller.equals("memory")));
                    }
                }
            }
        }
        if (unified != null && usable(List.of(unified))) return new Cgroups(List.of(unified), "cgroup v2 at " + unified.parent());
        if (legacy.size() == 2 && usable(legacy)) return new Cgroups(legacy, "cgroup v1 (pids, memory)");
        return none("no writable cgroup with the pids and memory controllers");
    }

    boolean enforced() {
        return !hierarchies.isEmpty();
    }

    String describe() {
        return description;
    }

    /**
     * Makes the groups of one run with its limits.
     *
     * @return the run's group, or empty when there are no control groups here
     * @throws IOException when the group cannot be made although control groups were usable at start
     */
    Optional<RunGroup> create(Limits limits) throws IOException {
        if (hierarchies.isEmpty()) return Optional.empty();
        String name = "quorum-run-" + UUID.randomUUID();
        List<Path> made = new ArrayList<>();
        try {
            for (Hierarchy h : hierarchies) {
                Path dir = h.parent().resolve(name);
                Files.createDirectory(dir);
                made.add(dir);
                if (h.pids()) Files.writeString(dir.resolve("pids.max"), Integer.toString(limits.maxProcesses()));
                if (h.memory()) {
                    String bytes = Long.toString(limits.maxMemoryBytes());
                    if (h.unified()) {
                        Files.writeString(dir.resolve("memory.max"), bytes);
                        write(dir.resolve("memory.swap.max"), "0");
                    } else {
                        Files.writeString(dir.resolve("memory.limit_in_bytes"), bytes);
                        write(dir.resolve("memory.memsw.limit_in_bytes"), bytes); // no swapping past the limit, where accounted
                    }
                }
            }
        } catch (IOException e) {
            made.forEach(Cgroups::remove);
            throw new IOException("could not make the run's control group: " + e.getMessage(), e);
        }
        return Optional.of(new RunGroup(made, limits, hierarchies.getFirst().unified()));
    }

    /** The groups of one run; {@link #close} kills what is left in them and removes them. */
    static final class RunGroup {
        private final List<Path> dirs;
        private final Limits limits;
        private final boolean unified;

        private RunGroup(List<Path> dirs, Limits limits, boolean unified) {
            this.dirs = List.copyOf(dirs);
            this.limits = limits;
            this.unified = unified;
        }

        /** The files a process writes its PID to, to join (before it starts the sandbox). */
        List<Path> procsFiles() {
            return dirs.stream().map(d -> d.resolve("cgroup.procs")).toList();
        }

        /** The limits the kernel enforced on this run, as sentences. */
        List<String> problems() {
            List<String> problems = new ArrayList<>();
            for (Path dir : dirs) {
                if (counter(dir.resolve("pids.events"), "max") > 0) {
                    problems.add("the run reached its limit of " + limits.maxProcesses()
                            + " processes (sandbox.max_processes); some could not start");
                }
                long oomKills = unified ? counter(dir.resolve("memory.events"), "oom_kill")
                        : counter(dir.resolve("memory.oom_control"), "oom_kill");
                if (oomKills > 0) {
                    problems.add("the run reached its memory limit of " + Sizes.format(limits.maxMemoryBytes())
                            + " (sandbox.max_memory); the kernel stopped " + oomKills + (oomKills == 1 ? " process" : " processes"));
                }
            }
            return problems;
        }

        /** Kills whatever is still in the groups and removes them. Idempotent. */
        void close() {
            for (Path dir : dirs) {
                if (!Files.isDirectory(dir)) continue;
                if (!write(dir.resolve("cgroup.kill"), "1")) killMembers(dir);
                remove(dir);
            }
        }

        private static void killMembers(Path dir) {
            for (String pid : read(dir.resolve("cgroup.procs")).orElse("").split("\\s+")) {
                if (pid.isBlank()) continue;
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** A group is removable only once empty; the kernel may take a moment after the last kill. */
    private static void remove(Path dir) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        LOG.warn("Could not remove the control group {}", dir);
    }

    private static boolean usable(List<Hierarchy> candidates) {
        List<Path> made = new ArrayList<>();
        try {
            for (Hierarchy h : candidates) {
                Path probe = h.parent().resolve("quorum-probe-" + UUID.randomUUID());
                Files.createDirectory(probe);
                made.add(probe);
            }
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        } finally {
            made.forEach(Cgroups::remove);
        }
    }

    /** {@code 4:memory:/a/b} → memory → /a/b; the unified line {@code 0::/a} is keyed by the empty name. */
    private static Map<String, String> ownGroups(List<String> lines) {
        Map<String, String> own = new java.util.HashMap<>();
        for (String line : lines) {
            String[] parts = line.split(":", 3);
            if (parts.length < 3) continue;
            if (parts[1].isEmpty()) own.put("", parts[2]);
            for (String controller : parts[1].split(",")) {
                if (!controller.isEmpty()) own.put(controller, parts[2]);
            }
        }
        return own;
    }

    /** Where a process's group lies under a mount whose root is {@code root} in the hierarchy. */
    private static Path inside(Path mountPoint, String root, String group) {
        String relative = group.startsWith(root) ? group.substring(root.length()) : group;
        relative = relative.replaceFirst("^/+", "");
        return relative.isEmpty() ? mountPoint : mountPoint.resolve(relative);
    }

    private static String unescape(String mountinfoPath) {
        return mountinfoPath.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /** The value after {@code key} in a flat-keyed file such as {@code memory.events}, 0 when absent. */
    private static long counter(Path file, String key) {
        for (String line : read(file).orElse("").split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2 && kv[0].equals(key)) {
                try {
                    return Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static boolean write(Path file, String text) {
        try {
            Files.writeString(file, text);
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
