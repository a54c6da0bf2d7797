package dev.quorum.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The claim of one process on a Redis data folder, so that two Quorums (or a Quorum and a
 * {@code quorum audit verify} that found no server) never run two redis-servers on one
 * append-only file, which would interleave their writes and corrupt it. An OS lock
 * ({@code fcntl}, through {@link FileChannel#tryLock()}) on {@code quorum-redis.lock}: the kernel
 * drops it when its process dies however it dies, so a SIGKILLed Quorum leaves no stale lock
 * behind. The file names the holder's pid for the error the next one shows.
 */
final class FolderLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the folder, or says which process holds it. */
    static FolderLock take(Path dir) throws IOException {
        Path file = file(dir);
        if (Files.isSymbolicLink(file)) {
            throw new IOException(file + " is a symbolic link, which Quorum never makes; remove it and start again");
        }
        // never through a link: a planted quorum-redis.lock -> some file would have that file truncated
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this very JVM holds it already (a second Quorum in one test JVM)
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("the Redis data folder " + dir + " is in use by " + holder(file)
                    + ": two redis-servers on one append-only file would corrupt it; stop that one first, "
                    + "or give this Quorum another data folder (data, QUORUM_DATA)");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(("pid=" + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
        return new FolderLock(channel, lock);
    }

    /** "process 1234 (java … QuorumCli serve …)", as far as the lock file and /proc tell. */
    private static String holder(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "another process";
        }
        if (!text.startsWith("pid=")) return "another process";
        long pid;
        try {
            pid = Long.parseLong(text.substring(4));
        } catch (NumberFormatException e) {
            return "another process";
        }
        return "another process (pid " + pid + ProcessInfo.commandLine(pid).map(c -> ": " + c).orElse("") + ")";
    }

    static Path file(Path dir) {
        return dir.resolve("quorum-redis.lock");
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it too
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // the lock dies with the channel; nothing left to do
        }
    }
}
