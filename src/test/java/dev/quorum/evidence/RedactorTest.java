package dev.quorum.evidence;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

class RedactorTest {

    // Built from parts so that no scanner mistakes these fakes for leaked credentials.
    private static final String GITHUB_CLASSIC = "ghp_" + "R4nd0mL00kingT0kenValue1234567890ab";

    static Stream<Arguments> shapes() {
        return Stream.of(
                argumentSet("Slack bot token", "token xoxb-" + "1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUv ok",
                        "token [REDACTED] ok"),
                argumentSet("Slack user token", "xoxp-" + "1234567890-1234567890-1234567890-abcdef0123456789",
                        "[REDACTED]"),
                argumentSet("Slack app-level token", "SLACK_APP_TOKEN=xapp-" + "1-A0123456789-1234567890123-abcdef",
                        "SLACK_APP_TOKEN=[REDACTED]"),
                argumentSet("GitHub classic token", "using " + GITHUB_CLASSIC + ".", "using [REDACTED]."),
                argumentSet("GitHub OAuth token", "gho_" + "16C7e42F292c6912E7710c838347Ae178B4a", "[REDACTED]"),
                argumentSet("GitHub app installation token in a URL",
                        "https://x-access-token:ghs_" + "16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r.git",
                        "https://x-access-token:[REDACTED]@github.com/o/r.git"),
                argumentSet("GitHub user-to-server token", "ghu_" + "16C7e42F292c6912E7710c838347Ae178B4a", "[REDACTED]"),
                argumentSet("GitHub fine-grained token",
                        "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP",
                        "[REDACTED]"),
                argumentSet("OpenAI key", "OPENAI_API_KEY=sk-" + "proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34", "OPENAI_API_KEY=[REDACTED]"),
                argumentSet("OpenAI legacy key", "key: sk-" + "Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90", "key: [REDACTED]"),
                argumentSet("Anthropic key", "\"sk-" + "ant-api03-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56-Qr78St90AA\"",
                        "\"[REDACTED]\""),
                argumentSet("AWS access key id", "aws_access_key_id = AKIA" + "IOSFODNN7EXAMPLE", "aws_access_key_id = [REDACTED]"),
                argumentSet("AWS temporary key id", "ASIA" + "XYZ1234567890ABC,", "[REDACTED],"),
                argumentSet("AWS secret access key", "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                        "aws_secret_access_key=[REDACTED]"),
                argumentSet("AWS secret access key in JSON", "\"AWS_SECRET_ACCESS_KEY\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"",
                        "\"AWS_SECRET_ACCESS_KEY\": \"[REDACTED]\""),
                argumentSet("Authorization Bearer header", "> Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc",
                        "> Authorization: Bearer [REDACTED]"),
                argumentSet("Authorization Basic header", "authorization: Basic dXNlcjpwYXNzd29yZA==",
                        "authorization: Basic [REDACTED]"),
                argumentSet("a bearer token without the header", "curl -H 'bearer abcdefghijklmnopqrstuvwxyz012345'",
                        "curl -H 'bearer [REDACTED]'"),
                argumentSet("a password in a URL", "connecting to redis://:s3cretPassw0rd@localhost:6379/0",
                        "connecting to redis://:[REDACTED]@localhost:6379/0"),
                argumentSet("a one-line PEM key, as in JSON",
                        "{\"key\":\"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----\\n\"}",
                        "{\"key\":\"[REDACTED]\\n\"}"));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void masksCommonCredentialShapes(String line, String masked) {
        assertThat(Redactor.SHAPES_ONLY.redact(line)).isEqualTo(masked);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[INFO] Tests run: 42, Failures: 0, Errors: 0, Skipped: 1",
            "at com.example.risk.RiskAssessmentTest.task(RiskAssessmentTest.java:42)",
            "commit 9f2c41d0e3b7a1c4f5e6d7c8b9a0f1e2d3c4b5a6 by ask-the-team",
            "desk-lamp task-runner sk-short xoxb- xapp ghp_short github_pat_ AKIA1234",
            "Authorization failed for user alice",
            "bearer of bad news",
            "see https://example.com/path:with:colons and user@example.com",
            "-----BEGIN PUBLIC KEY-----",
            "-----BEGIN CERTIFICATE-----",
            "uuid 123e4567-e89b-12d3-a456-426614174000 duration 12.3 s",
            "AKIAIOSFODNN7EXAMPLEX is too long to be a key id"})
    void leavesOrdinaryOutputAlone(String line) {
        assertThat(Redactor.SHAPES_ONLY.redact(line)).isEqualTo(line);
    }

    @Test
    void masksExactValuesItWasGivenLongestFirst() {
        Redactor redactor = Redactor.of(List.of("hunter2-db", "hunter2-db-replica", "abc"));

        assertThat(redactor.redact("db=hunter2-db replica=hunter2-db-replica abc=abc"))
                .isEqualTo("db=[REDACTED] replica=[REDACTED] abc=abc");
    }

    @Test
    void ignoresExactValuesTooShortToBeSecrets() {
        assertThat(Redactor.of(List.of("12345", "a")).redact("a 12345 b")).isEqualTo("a 12345 b");
    }

    @Test
    void masksEachLineOfAMultiLineSecretValue() {
        Redactor redactor = Redactor.of(List.of("first-line-secret\nsecond-line-secret"));

        assertThat(redactor.redact("x second-line-secret y")).isEqualTo("x [REDACTED] y");
    }

    @Test
    void addsExactValuesWithoutForgettingEarlierOnes() {
        Redactor redactor = Redactor.of(List.of("first-secret")).with(List.of("second-secret"));

        assertThat(redactor.redact("first-secret second-secret")).isEqualTo("[REDACTED] [REDACTED]");
    }

    @Test
    void masksAPrivateKeyBlockThatSpansLinesFedOneByOne() {
        LineRedactor lines = Redactor.SHAPES_ONLY.lines();
        List<String> input = List.of(
                "loading key:",
                "2025-01-01 12:00:00 DEBUG -----BEGIN RSA PRIVATE KEY-----",
                "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi",
                "Proc-Type: 4,ENCRYPTED",
                "Z29vZCBsdWNrIGZpbmRpbmcgYSBzZWNyZXQgaGVyZQ==",
                "-----END RSA PRIVATE KEY----- done",
                "key loaded");

        List<String> output = input.stream().map(lines::next).toList();

        assertThat(output).containsExactly(
                "loading key:",
                "2025-01-01 12:00:00 DEBUG [REDACTED]",
                "[REDACTED]",
                "[REDACTED]",
                "[REDACTED]",
                "[REDACTED] done",
                "key loaded");
    }

    @Test
    void masksAPrivateKeyBlockInMultiLineText() {
        String text = "a\r\n-----BEGIN OPENSSH PRIVATE KEY-----\r\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\r\n"
                + "-----END OPENSSH PRIVATE KEY-----\r\nz";

        assertThat(Redactor.SHAPES_ONLY.redact(text)).isEqualTo("a\r\n[REDACTED]\r\n[REDACTED]\r\n[REDACTED]\r\nz");
    }

    @Test
    void aPrivateKeyHeaderWithoutAnEndHidesABoundedNumberOfLines() {
        LineRedactor lines = Redactor.SHAPES_ONLY.lines();
        lines.next("-----BEGIN PRIVATE KEY-----");
        for (int i = 0; i < LineRedactor.MAX_KEY_LINES; i++) {
            assertThat(lines.next("line " + i)).isEqualTo(Redactor.MASK);
        }

        assertThat(lines.next("visible again")).isEqualTo("visible again");
    }

    @Property(tries = 200)
    void aGivenSecretNeverSurvivesWhateverSurroundsIt(
            @ForAll @AlphaChars @NumericChars @StringLength(min = 6, max = 40) String secret,
            @ForAll @StringLength(max = 30) String before,
            @ForAll @StringLength(max = 30) String after) {
        String masked = Redactor.of(List.of(secret)).redact(before + secret + after);

        assertThat(masked.replace(Redactor.MASK, "\u0000")).doesNotContain(secret);
    }
}
