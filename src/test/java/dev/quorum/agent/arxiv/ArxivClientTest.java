package dev.quorum.agent.arxiv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.agent.testing.FakeHttpServer;
import dev.quorum.agent.testing.FakeHttpServer.Reply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArxivClientTest {

    private static final String FEED = """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <id>http://arxiv.org/api/x</id>
              <title>ArXiv Query</title>
              <entry>
                <id>http://arxiv.org/abs/2101.00001v1</id>
                <published>2021-01-01T00:00:00Z</published>
                <title>Quantum Error
                   Correction for Beginners</title>
                <summary>We explain surface codes.</summary>
                <author><name>Ada Lovelace</name></author>
                <author><name>Alan Turing</name></author>
              </entry>
            </feed>
            """;

    @Test
    void searchAsksTheConfiguredApiAndParsesIdTitleSummaryAndAuthors() throws Exception {
        try (FakeHttpServer arxiv = FakeHttpServer.start()) {
            arxiv.enqueue(Reply.raw(200, "application/atom+xml", FEED));
            ArxivClient client = new ArxivClient(HttpClient.newHttpClient(), URI.create(arxiv.origin() + "/api/query"),
                    Duration.ofSeconds(5), 3);

            List<ArxivEntry> entries = client.search("quantum error correction");

            assertThat(entries).containsExactly(new ArxivEntry("http://arxiv.org/abs/2101.00001v1",
                    "Quantum Error Correction for Beginners", "We explain surface codes.",
                    List.of("Ada Lovelace", "Alan Turing"), "2021-01-01T00:00:00Z"));
            assertThat(arxiv.received().getFirst().path()).isEqualTo("/api/query");
            assertThat(arxiv.received().getFirst().query()).isEqualTo(
                    "search_query=all%3Aquantum+AND+all%3Aerror+AND+all%3Acorrection&start=0&max_results=3");
        }
    }

    @Test
    void anErrorStatusIsReportedAsAFailure() {
        try (FakeHttpServer arxiv = FakeHttpServer.start()) {
            arxiv.enqueue(Reply.raw(503, "text/plain", "busy"));
            ArxivClient client = new ArxivClient(HttpClient.newHttpClient(), URI.create(arxiv.origin() + "/api/query"),
                    Duration.ofSeconds(5), 3);

            assertThatThrownBy(() -> client.search("x")).isInstanceOf(IOException.class)
                    .hasMessage("arXiv answered HTTP 503");
        }
    }

    @Test
    void queriesInArxivSyntaxArePassedAsTheyAre() {
        assertThat(ArxivClient.arxivQuery("ti:raft AND au:ongaro")).isEqualTo("ti:raft AND au:ongaro");
        assertThat(ArxivClient.arxivQuery(" large  language\tmodels ")).isEqualTo(
                "all:large AND all:language AND all:models");
    }

    @Test
    void aFeedWithAnExternalEntityDoesNotReadLocalFiles(@TempDir Path temp) throws Exception {
        Path secret = Files.writeString(temp.resolve("secret.txt"), "TOP-SECRET");
        String hostile = """
                <?xml version="1.0"?>
                <!DOCTYPE feed [<!ENTITY xxe SYSTEM "%s">]>
                <feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><title>&xxe;</title></entry></feed>
                """.formatted(secret.toUri());

        try {
            List<ArxivEntry> entries = new ArxivAtomParser().parse(
                    new ByteArrayInputStream(hostile.getBytes(StandardCharsets.UTF_8)));
            assertThat(entries).allSatisfy(e -> assertThat(e.title()).doesNotContain("TOP-SECRET"));
        } catch (IOException refused) {
            assertThat(refused).hasMessageStartingWith("the arXiv answer is not a readable Atom feed");
        }
    }
}
