package dev.quorum.evidence;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Moves a process's merged output, line by line, through a {@link LineRedactor} into a log file
 * and a {@link LogTail}, on its own virtual thread. Nothing but the current line and the few the
 * redactor holds back (to see a secret split over a line break) is kept: a line longer than
 * {@value #MAX_LINE_CHARS} characters is cut, at a blank where there is one in its second half,
 * and a secret cut there is still found across the cut.
 *
 * <p>Not reusable. {@link #await} may be called from one other thread.
 */
final class OutputPump {

    static final int MAX_LINE_CHARS = 8192;

    private final InputStream output;
    private final Path logFile;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Object lock = new Object(); // guards what follows: the pump and an abandoning await
    private final LineRedactor redactor;
    private final LogTail tail;
    private final StringBuilder line = new StringBuilder();
    private BufferedWriter log; // while open
    private boolean abandoned;
    private volatile IOException failure;
    private volatile long lastProgress = System.nanoTime();

    OutputPump(InputStream output, Path logFile, LineRedactor redactor, LogTail tail) {
        this.output = output;
        this.logFile = logFile;
        this.redactor = redactor;
        this.tail = tail;
    }

    void start() {
        Thread.ofVirtual().name("evidence-output-" + logFile.getFileName()).start(this::pump);
    }

    /**
     * Waits until the output ended. While output still arrives the pump is only behind (a slow
     * machine, a long log) and the wait goes on; when nothing arrived for {@code silence}, a
     * process nobody could kill keeps the output open, and the log stops there, with what was
     * read so far written out.
     *
     * @return true when the whole output was pumped
     * @throws IOException when the log could not be written
     */
    boolean await(Duration silence) throws IOException, InterruptedException {
        boolean ended;
        while (!(ended = done.await(100, TimeUnit.MILLISECONDS))) {
            if (System.nanoTime() - lastProgress > silence.toNanos()) {
                abandon();
                break;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return ended;
    }

    private void abandon() {
        synchronized (lock) {
            abandoned = true;
            if (log != null) {
                try {
                    drain();
                    log.flush();
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
    }

    private void pump() {
        Reader reader = new InputStreamReader(output, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
        try (reader; BufferedWriter out = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
            synchronized (lock) {
                log = out;
            }
            char[] buffer = new char[8192];
            int n;
            while ((n = reader.read(buffer)) >= 0) {
                synchronized (lock) {
                    if (abandoned) {
                        return;
                    }
                    lastProgress = System.nanoTime();
                    take(buffer, n);
                }
            }
            synchronized (lock) {
                if (!abandoned) {
                    drain();
                }
            }
        } catch (IOException e) {
            failure = e;
        } catch (UncheckedIOException e) {
            failure = e.getCause();
        } finally {
            done.countDown();
        }
    }

    private void take(char[] buffer, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            char c = buffer[i];
            if (c == '\n') {
                emit(stripCarriageReturn(line));
                line.setLength(0);
            } else {
                line.append(c);
                if (line.length() >= MAX_LINE_CHARS) {
                    emitLongLinePart();
                }
            }
        }
    }

    /** Writes the unfinished last line and the lines the redactor still holds. */
    private void drain() throws IOException {
        if (!line.isEmpty()) {
            emit(stripCarriageReturn(line));
            line.setLength(0);
        }
        write(redactor.finish());
    }

    private void emitLongLinePart() throws IOException {
        int cut = Math.max(line.lastIndexOf(" "), line.lastIndexOf("\t")) + 1;
        if (cut <= MAX_LINE_CHARS / 2) {
            cut = line.length();
        }
        emit(line.substring(0, cut));
        line.delete(0, cut);
    }

    /** Colour escapes go before the redactor looks: a secret printed in bold is still one string. */
    private void emit(String raw) throws IOException {
        write(redactor.push(TerminalText.plain(raw)));
    }

    private void write(List<String> masked) throws IOException {
        for (String m : masked) {
            log.write(m);
            log.write('\n');
            tail.add(m);
        }
    }

    private static String stripCarriageReturn(StringBuilder line) {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
    }
}
