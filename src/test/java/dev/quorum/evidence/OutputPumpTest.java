package dev.quorum.evidence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutputPumpTest {

    private static final String SECRET = "s3cr3t-Value-42xyz";
    private static final Redactor REDACTOR = Redactor.of(List.of(SECRET));

    @TempDir
    Path dir;

    private String pump(String output, LogTail tail) throws Exception {
        Path log = dir.resolve("run.log");
        OutputPump pump = new OutputPump(new ByteArrayInputStream(output.getBytes(StandardCharsets.UTF_8)), log,
                REDACTOR.lines(), tail);
        pump.start();
        assertThat(pump.await(Duration.ofSeconds(10))).isTrue();
        return Files.readString(log);
    }

    @Test
    void aSecretPrintedOverTwoLinesIsMaskedInTheLogAndTheTailLineForLine() throws Exception {
        LogTail tail = new LogTail(10, 1000);

        String log = pump("start\nfound s3cr3t-Va\r\nlue-42xyz here\nend", tail);

        assertThat(log).isEqualTo("start\nfound [REDACTED]\n[REDACTED] here\nend\n");
        assertThat(tail.text()).isEqualTo("start\nfound [REDACTED]\n[REDACTED] here\nend");
    }

    @Test
    void aSecretAcrossTheCutOfALongLineIsMaskedOnBothParts() throws Exception {
        String longLine = "x".repeat(OutputPump.MAX_LINE_CHARS - 5) + SECRET + " tail";

        String log = pump(longLine + "\n", new LogTail(10, 100_000));

        assertThat(log).isEqualTo("x".repeat(OutputPump.MAX_LINE_CHARS - 5) + "[REDACTED]\n[REDACTED] tail\n");
    }

    @Test
    void anOutputLeftOpenStillHasEveryLineReadSoFarMaskedInTheLog() throws Exception {
        PipedOutputStream process = new PipedOutputStream();
        PipedInputStream output = new PipedInputStream(process);
        Path log = dir.resolve("open.log");
        LogTail tail = new LogTail(10, 1000);
        OutputPump pump = new OutputPump(output, log, REDACTOR.lines(), tail);
        pump.start();
        // the last line ends with what may begin the secret, so the redactor holds it back
        process.write("one\ntwo with s3cr3t-Value-42xyz\nthree s3\n".getBytes(StandardCharsets.UTF_8));
        process.flush();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!tail.text().contains("two with") && System.nanoTime() < deadline) {
            Thread.sleep(10); // until the pump has read the lines
        }

        boolean whole = pump.await(Duration.ofSeconds(1)); // the writer never closes: a process nobody could kill

        assertThat(whole).isFalse();
        assertThat(Files.readString(log)).isEqualTo("one\ntwo with [REDACTED]\nthree s3\n");
        assertThat(tail.text()).isEqualTo("one\ntwo with [REDACTED]\nthree s3");
        process.close();
    }
}
