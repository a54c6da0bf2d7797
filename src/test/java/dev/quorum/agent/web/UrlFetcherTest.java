package dev.quorum.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.agent.testing.FakeHttpServer;
import dev.quorum.agent.testing.FakeHttpServer.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UrlFetcherTest {

    private final FakeHttpServer web = FakeHttpServer.start();

    @AfterEach
    void stop() {
        web.close();
    }

    private UrlFetcher fetcher(int maxBytes) {
        return UrlFetcher.create(new FetchSettings(Set.of("127.0.0.1"), maxBytes, Duration.ofSeconds(5), 3));
    }

    @Test
    void htmlBecomesTextWithItsTitle() throws Exception {
        web.enqueue(Reply.raw(200, "text/html", "<html><head><title>A &amp; B</title><style>p{}</style></head>"
                + "<body><h1>Heading</h1><p>One&nbsp;two &#8212; three</p><!-- hidden --><p>Four</p></body></html>"));

        FetchedPage page = fetcher(10_000).fetch(web.origin() + "/page");

        assertThat(page.title()).isEqualTo("A & B");
        assertThat(page.text()).isEqualTo("Heading\nOne two — three\nFour");
        assertThat(page.truncated()).isFalse();
    }

    @Test
    void aRedirectOnTheSameHostIsFollowedAndOneToAnotherHostIsRefused() throws Exception {
        web.enqueue(Reply.redirect("/moved")).enqueue(Reply.raw(200, "text/plain", "here"));
        assertThat(fetcher(10_000).fetch(web.origin() + "/old").text()).isEqualTo("here");
        assertThat(web.received()).extracting(FakeHttpServer.Received::path).containsExactly("/old", "/moved");

        web.enqueue(Reply.redirect("http://localhost:" + web.port() + "/elsewhere"));
        assertThatThrownBy(() -> fetcher(10_000).fetch(web.origin() + "/jump"))
                .isInstanceOf(FetchRefusedException.class)
                .hasMessage(web.origin() + "/jump redirects to another host (localhost); redirects are only followed "
                        + "on the same host.");
        assertThat(web.requestCount()).isEqualTo(3);
    }

    @Test
    void schemesOtherThanHttpAndUrlsWithCredentialsAreRefused() {
        assertThatThrownBy(() -> fetcher(100).fetch("file:///etc/passwd"))
                .hasMessage("Only http and https URLs can be fetched, not 'file:///etc/passwd'.");
        assertThatThrownBy(() -> fetcher(100).fetch("http://user:pw@127.0.0.1:" + web.port() + "/"))
                .hasMessage("URLs with a user name or password are not fetched.");
        assertThatThrownBy(() -> fetcher(100).fetch("http://127.0.0.1.evil.example/"))
                .isInstanceOf(FetchRefusedException.class);
        assertThat(web.requestCount()).isZero();
    }

    @Test
    void bodiesAreCutAtTheSizeCapAndBinaryTypesAreNotRead() throws Exception {
        web.enqueue(Reply.raw(200, "text/plain", "x".repeat(5_000)))
                .enqueue(Reply.raw(200, "application/octet-stream", "\0\1\2"));

        FetchedPage page = fetcher(1_000).fetch(web.origin() + "/big");
        assertThat(page.text()).hasSize(1_000);
        assertThat(page.truncated()).isTrue();
        assertThatThrownBy(() -> fetcher(1_000).fetch(web.origin() + "/bin")).isInstanceOf(IOException.class)
                .hasMessageEndingWith("is application/octet-stream, not text; only text and HTML pages are read.");
    }
}
