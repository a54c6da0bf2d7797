package dev.quorum.agent.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Reads files as bounded UTF-8 text and tells text from binary. Stateless and safe for concurrent use. */
public final class TextFiles {

    /** Directory names that listings, searches and indexing never enter: VCS data, build output, dependencies. */
    public static final Set<String> SKIPPED_DIRECTORIES =
            Set.of(".git", "target", "node_modules", ".idea", ".gradle", ".venv", "__pycache__", ".mvn");

    private static final int SNIFF_BYTES = 8_192;

    private TextFiles() {
    }

    /**
     * A file's text, cut to {@code maxBytes}.
     *
     * @param text      the decoded text (malformed UTF-8 replaced)
     * @param size      the file's full size in bytes
     * @param truncated whether the text stops before the end of the file
     */
    public record Text(String text, long size, boolean truncated) {
    }

    /**
     * Reads at most {@code maxBytes} of {@code file}.
     *
     * @throws BinaryFileException when the file looks binary (a NUL byte in its first 8 KB, or not UTF-8)
     */
    public static Text read(Path file, int maxBytes) throws IOException {
        long size = Files.size(file);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(maxBytes);
        }
        if (looksBinary(bytes)) {
            throw new BinaryFileException(file.getFileName() + " is a binary file (" + size + " bytes); only text "
                    + "files can be read.");
        }
        return new Text(new String(bytes, StandardCharsets.UTF_8), size, size > bytes.length);
    }

    /** True when {@code bytes} (a file's start) has a NUL byte or is not valid UTF-8. */
    static boolean looksBinary(byte[] bytes) {
        int sniff = Math.min(bytes.length, SNIFF_BYTES);
        for (int i = 0; i < sniff; i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        // endOfInput=false: a character cut at the end of the window is not malformed, just incomplete
        CoderResult result = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, 0, sniff), CharBuffer.allocate(sniff), false);
        return result.isError();
    }

    /** The file is not text. */
    public static final class BinaryFileException extends IOException {
        public BinaryFileException(String message) {
            super(message);
        }
    }
}
