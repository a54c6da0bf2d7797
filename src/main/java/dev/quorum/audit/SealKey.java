package dev.quorum.audit;

import dev.quorum.config.ConfigException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * The key that seals audit entries, the audit anchors and evidence records (HMAC-SHA256): 32
 * random bytes in {@code <data>/keys/seal.key}, made at Quorum's first start and never written
 * to Redis. Whoever can write Redis but cannot read this file cannot make a seal that verifies.
 * Immutable and thread-safe.
 */
public final class SealKey {
    private static final int BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FOREIGN = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /** What a seal is for: a seal made for one purpose never verifies for another. */
    public enum Purpose {
        AUDIT_ENTRY("quorum audit entry v1"),
        AUDIT_ANCHOR("quorum audit anchor v1"),
        EVIDENCE("quorum evidence v1"),
        /** Only for {@link #id()}. */
        KEY_ID("quorum key id v1");

        private final byte[] label;

        Purpose(String label) {
            this.label = (label + "\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    private final Path file;
    private final Mac prototype;
    private final String id;

    private SealKey(Path file, byte[] secret) {
        this.file = file;
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
        this.id = HexFormat.of().formatHex(mac(Purpose.KEY_ID, ""), 0, 4);
    }

    /** Where the key of a data folder lives. */
    public static Path file(Path dataDir) {
        return dataDir.resolve("keys").resolve("seal.key");
    }

    /**
     * The data folder's key, or empty when it has none yet.
     *
     * @throws ConfigException when the file exists but must not be used: open to group or others,
     *                         unreadable, or not 32 bytes (it is never replaced by a new key)
     */
    public static Optional<SealKey> find(Path dataDir) {
        Path file = file(dataDir);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        checkOwnerOnly(dataDir, file.getParent(), "folder", Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE),
                "chmod 700 ");
        checkOwnerOnly(dataDir, file, "seal key", FOREIGN, "chmod 600 ");
        byte[] secret;
        try {
            secret = Files.readAllBytes(file);
        } catch (AccessDeniedException e) {
            throw refused(dataDir, "cannot read the seal key " + file + " (permission denied): run Quorum as the user that owns it");
        } catch (IOException e) {
            throw refused(dataDir, "cannot read the seal key " + file + ": " + e.getMessage());
        }
        if (secret.length != BYTES) {
            throw refused(dataDir, "the seal key " + file + " holds " + secret.length + " bytes, not " + BYTES
                    + ": it is damaged; restore it from your backup");
        }
        return Optional.of(new SealKey(file, secret));
    }

    /** The key Quorum made for this data folder at start. */
    public static SealKey load(Path dataDir) {
        return find(dataDir).orElseThrow(() -> refused(dataDir, "there is no seal key at " + file(dataDir)));
    }

    /**
     * Makes the data folder's key: written to a private temporary file, then linked into place,
     * which fails rather than replaces when another process made one first (that one is then used).
     */
    static SealKey create(Path dataDir) throws IOException {
        Path file = file(dataDir);
        Path dir = file.getParent();
        boolean posix = Files.getFileStore(Files.createDirectories(dataDir)).supportsFileAttributeView(PosixFileAttributeView.class);
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
                Files.setPosixFilePermissions(dir, OWNER_DIR); // the umask may have taken bits away, never added: set exactly
            } else {
                Files.createDirectories(dir);
            }
        }
        byte[] secret = new byte[BYTES];
        new SecureRandom().nextBytes(secret);
        FileAttribute<?>[] ownerOnly = posix ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(OWNER_FILE)} : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, ".seal-", ".tmp", ownerOnly);
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap(secret));
                out.force(true);
            }
            try {
                Files.createLink(file, tmp);
            } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
                if (noHardLinks instanceof FileAlreadyExistsException) return load(dataDir);
                Files.move(tmp, file); // no REPLACE_EXISTING: an existing key is never overwritten
            }
        } catch (FileAlreadyExistsException madeMeanwhile) {
            return load(dataDir);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncFolder(dir);
        return new SealKey(file, secret);
    }

    /** A hex HMAC-SHA256 of {@code message} for {@code purpose}. */
    public String seal(Purpose purpose, String message) {
        return HexFormat.of().formatHex(mac(purpose, message));
    }

    /** True when {@code seal} is this key's seal of {@code message} for {@code purpose} (compared in constant time). */
    public boolean verifies(Purpose purpose, String message, String seal) {
        byte[] claimed;
        try {
            claimed = HexFormat.of().parseHex(seal);
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(mac(purpose, message), claimed);
    }

    /** A short name for the key (8 hex digits, derived from it), to tell keys apart in logs without showing them. */
    public String id() {
        return id;
    }

    public Path file() {
        return file;
    }

    private byte[] mac(Purpose purpose, String message) {
        Mac mac;
        try {
            mac = (Mac) prototype.clone(); // Mac is not thread-safe; a clone skips the provider lookup
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 is cloneable", e);
        }
        mac.update(purpose.label);
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }

    private static void checkOwnerOnly(Path dataDir, Path path, String what, Set<PosixFilePermission> forbidden, String fix) {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null) return; // not a POSIX file system: nothing to check
        Set<PosixFilePermission> perms;
        try {
            perms = view.readAttributes().permissions();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(perms);
        open.retainAll(forbidden);
        if (!open.isEmpty()) {
            throw refused(dataDir, "the " + what + " " + path + " is open to group or others (" + PosixFilePermissions.toString(perms)
                    + "); make it owner-only: " + fix + path);
        }
    }

    private static void syncFolder(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // some file systems cannot sync a folder; the key file itself is synced
        }
    }

    private static ConfigException refused(Path dataDir, String problem) {
        return new ConfigException("data", dataDir.toString(), problem);
    }
}
