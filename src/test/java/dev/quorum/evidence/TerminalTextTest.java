package dev.quorum.evidence;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalTextTest {
    @Test
    void coloursCursorMovesTitlesAndHyperlinksAreRemovedAndTextIsKept() {
        assertThat(TerminalText.plain("\u001B[1;32mPASS\u001B[0m adds")).isEqualTo("PASS adds");
        assertThat(TerminalText.plain("\u001B[38;5;196mred\u001B[m \u001B[2K\u001B[1Gdone")).isEqualTo("red done");
        assertThat(TerminalText.plain("\u001B]0;mvn test\u0007[INFO] BUILD SUCCESS")).isEqualTo("[INFO] BUILD SUCCESS");
        assertThat(TerminalText.plain("see \u001B]8;;https://example.com\u001B\\the docs\u001B]8;;\u001B\\.")).isEqualTo("see the docs.");
        assertThat(TerminalText.plain("\u009B31mc1\u009B0m \u001B(Bcharset \u001B=keypad")).isEqualTo("c1 charset keypad");
        assertThat(TerminalText.plain("a lone \u001B at the end \u001B")).isEqualTo("a lone  at the end ");
        assertThat(TerminalText.plain("[INFO] no escapes [31m here")).isEqualTo("[INFO] no escapes [31m here");
        assertThat(TerminalText.plain(null)).isNull();
    }
}
