package dev.quorum.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code quorum-redis.pid}: the pid of the redis-server that runs on a data folder, so that the
 * next Quorum can find the server a SIGKILLed one left behind (its child outlives it: nothing
 * tells a process that its parent died).
 *
 * <p>That orphan is shut down, not reused: its configuration is whatever an earlier Quorum gave it
 * (binary, authentication, fsync, denied commands), its output goes nowhere since its parent's
 * pipe is gone, and it may sit on another port than the configured one. SIGTERM makes Redis
 * write and fsync its AOF before it exits, so the new server replays everything the old one
 * acknowledged; the price is one restart of Redis, about a second. A pid is only a number that
 * the system hands out again, so nothing is signalled unless {@code /proc} shows a redis-server
 * whose working directory is this very data folder (redis-server changes into its {@code dir}).
 */
final class PidFile {
    private static final Logger LOG = LoggerFactory.getLogger(PidFile.class);
    private static final Duration GRACE = Duration.ofSeconds(10);

    private PidFile() {
    }

    static Path file(Path dir) {
        return dir.resolve("quorum-redis.pid");
    }

    /** Never through a link: a planted quorum-redis.pid -> some file would have that file overwritten. */
    static void write(Path dir, long pid) throws IOException {
        Files.writeString(file(dir), pid + "\n", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Stops the redis-server that an earlier owner of {@code dir} left running, if the pid file
     * names one. Call only while holding the folder's {@link FolderLock}: then no live Quorum owns
     * a server here, so whatever runs on it is an orphan.
     */
    static void stopOrphan(Path dir) throws IOException {
        Optional<Long> recorded = recorded(dir);
        if (recorded.isPresent()) {
            long pid = recorded.get();
            Optional<ProcessHandle> alive = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (alive.isPresent() && ours(pid, dir)) {
                stop(alive.get(), dir);
            } else if (alive.isPresent()) {
                LOG.warn("{} names pid {}, which is not a redis-server in {} ({}); left alone", file(dir), pid, dir,
                        ProcessInfo.commandLine(pid).orElse("command unknown"));
            }
        }
        Files.deleteIfExists(file(dir)); // a link is removed itself, never what it points at
    }

    private static Optional<Long> recorded(Path dir) {
        try {
            if (Files.isSymbolicLink(file(dir))) return Optional.empty(); // not written by Quorum: deleted below
            return Optional.of(Long.parseLong(Files.readString(file(dir)).strip())).filter(pid -> pid > 0);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A redis-server (on PATH or the bundled one: both names hold it) working in this data folder. */
    private static boolean ours(long pid, Path dir) throws IOException {
        Path real = dir.toRealPath();
        return ProcessInfo.commandLine(pid).filter(c -> c.contains("redis-server")).isPresent()
                && ProcessInfo.workingDirectory(pid).filter(real::equals).isPresent();
    }

    private static void stop(ProcessHandle orphan, Path dir) throws IOException {
        LOG.warn("An embedded redis-server (pid {}) is still running on {}, left by a Quorum that did not stop; "
                + "shutting it down (its AOF is flushed) before starting a new one", orphan.pid(), dir);
        orphan.destroy();
        if (exited(orphan)) return;
        LOG.warn("redis-server pid {} did not stop within {} s; killing it", orphan.pid(), GRACE.toSeconds());
        orphan.destroyForcibly();
        if (!exited(orphan)) {
            throw new IOException("the orphaned redis-server (pid " + orphan.pid() + ") on " + dir + " does not die; stop it by hand");
        }
    }

    private static boolean exited(ProcessHandle process) throws IOException {
        try {
            process.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the orphaned redis-server " + process.pid(), e);
        }
    }
}
