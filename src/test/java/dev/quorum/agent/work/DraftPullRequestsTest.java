package dev.quorum.agent.work;

import dev.quorum.conversation.Links;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The texts a coding run's draft pull request shows on GitHub: nothing the model or a requester wrote can break out of them. */
class DraftPullRequestsTest {
    private final DraftPullRequests drafts = new DraftPullRequests(null, new Links("http://127.0.0.1:8080"),
            text -> text.replace("ghp_s3cr3tvalue", "[redacted]"));

    @Test
    void aSummaryThatTriesToCloseItsFenceStaysInsideIt() {
        String summary = "done\n```\n@acme/everyone ![x](http://evil.example/t.png) <img src=x>\n````";
        String block = DraftPullRequests.fenced(summary);
        assertThat(block).startsWith("`````text\n").endsWith("\n`````");
        assertThat(block.substring("`````text\n".length(), block.length() - "\n`````".length())).isEqualTo(summary);
    }

    @Test
    void anInlineTextIsOneCodeSpanWhateverBackticksAndLineBreaksItHolds() {
        assertThat(DraftPullRequests.code("alice")).isEqualTo("` alice `");
        assertThat(DraftPullRequests.code("a `b` c")).isEqualTo("`` a `b` c ``");
        assertThat(DraftPullRequests.code("eve\n@here")).isEqualTo("` eve @here `");
    }

    @Test
    void theTitleIsOneMaskedLineCutToLength() {
        assertThat(drafts.title("R12", "add a\n ping   endpoint")).isEqualTo("R12: add a ping endpoint");
        assertThat(drafts.title("R12", "use ghp_s3cr3tvalue to deploy")).isEqualTo("R12: use [redacted] to deploy");
        String title = drafts.title("R7", "x".repeat(300));
        assertThat(title).hasSize("R7: ".length() + DraftPullRequests.MAX_TITLE_TASK_CHARS).endsWith("…");
    }
}
