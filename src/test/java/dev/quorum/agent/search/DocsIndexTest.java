package dev.quorum.agent.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocsIndexTest {

    @TempDir
    Path temp;

    private static final IndexSettings EVERY_SEARCH = IndexSettings.DEFAULTS.withRescanInterval(Duration.ZERO);

    private Path docs() throws Exception {
        Path docs = Files.createDirectories(temp.resolve("docs"));
        Files.writeString(docs.resolve("redis.md"), "# Redis\n\nQuorum stores votes in Redis streams.\n");
        Files.writeString(docs.resolve("slack.md"), "# Slack\n\nThe Slack adapter verifies request signatures.\n");
        Files.createDirectories(docs.resolve("src"));
        Files.writeString(docs.resolve("src/ChatModelFactory.java"), "final class ChatModelFactory { /* builds */ }\n");
        Files.createDirectories(docs.resolve("target"));
        Files.writeString(docs.resolve("target/generated.md"), "# Generated\n\nvotes votes votes\n");
        Files.writeString(docs.resolve(".env"), "TOKEN=votes\n");
        Files.write(docs.resolve("logo.txt"), new byte[] {'v', 'o', 't', 'e', 's', 0, 1, 2});
        return docs;
    }

    private static List<String> paths(List<Passage> passages) {
        return passages.stream().map(Passage::path).toList();
    }

    @Test
    void theIndexPicksUpAChangedAndADeletedFile() throws Exception {
        Path docs = docs();
        try (DocsIndex index = DocsIndex.inMemory(List.of(new KnowledgeFolder("docs", docs)), EVERY_SEARCH)) {
            assertThat(paths(index.search("votes", 5))).containsExactly("docs/redis.md");
            assertThat(paths(index.search("signatures", 5))).containsExactly("docs/slack.md");

            Files.writeString(docs.resolve("redis.md"), "# Redis\n\nQuorum keeps ballots in Redis hashes.\n");
            Files.delete(docs.resolve("slack.md"));

            assertThat(index.search("votes", 5)).isEmpty();
            assertThat(paths(index.search("ballots", 5))).containsExactly("docs/redis.md");
            assertThat(index.search("signatures", 5)).isEmpty();
        }
    }

    @Test
    void aRescanReportsWhatChangedAndNothingWhenNothingDid() throws Exception {
        Path docs = docs();
        try (DocsIndex index = DocsIndex.inMemory(List.of(new KnowledgeFolder("docs", docs)), EVERY_SEARCH)) {
            // redis.md, slack.md, ChatModelFactory.java and the binary logo.txt (stamped, not indexed)
            assertThat(index.rescan()).isEqualTo(new DocsIndex.RescanResult(4, 0, 0));
            assertThat(index.rescan()).isEqualTo(new DocsIndex.RescanResult(0, 0, 0));
            Files.writeString(docs.resolve("new.md"), "# New\n");
            Files.writeString(docs.resolve("redis.md"), "# Redis\n\nchanged\n");
            Files.delete(docs.resolve("slack.md"));
            assertThat(index.rescan()).isEqualTo(new DocsIndex.RescanResult(1, 1, 1));
        }
    }

    @Test
    void identifiersSplitOnCaseChangesAndWordsAreStemmed() throws Exception {
        Path docs = docs();
        try (DocsIndex index = DocsIndex.inMemory(List.of(new KnowledgeFolder("docs", docs)), EVERY_SEARCH)) {
            assertThat(paths(index.search("factory", 5))).containsExactly("docs/src/ChatModelFactory.java");
            assertThat(paths(index.search("ChatModelFactory", 5))).containsExactly("docs/src/ChatModelFactory.java");
            assertThat(paths(index.search("verifying signature", 5))).containsExactly("docs/slack.md");
            assertThat(index.search("AND OR \"( *", 5)).isEmpty();
        }
    }

    @Test
    void anOnDiskIndexSurvivesARestartWithoutReindexing() throws Exception {
        Path docs = docs();
        Path indexDir = temp.resolve("index");
        List<KnowledgeFolder> folders = List.of(new KnowledgeFolder("docs", docs));
        try (DocsIndex index = DocsIndex.onDisk(indexDir, folders, EVERY_SEARCH)) {
            index.rescan();
        }
        try (DocsIndex index = DocsIndex.onDisk(indexDir, folders, EVERY_SEARCH)) {
            assertThat(index.rescan()).isEqualTo(new DocsIndex.RescanResult(1, 0, 0)); // only the binary, which has no document
            assertThat(paths(index.search("votes", 5))).containsExactly("docs/redis.md");
        }
    }

    @Test
    void largeFilesAreCutIntoPassagesWithTheirLines() throws Exception {
        Path docs = Files.createDirectories(temp.resolve("big"));
        StringBuilder text = new StringBuilder("# Big\n");
        for (int i = 2; i <= 400; i++) {
            text.append(i == 300 ? "the needle is here\n" : "filler line number " + i + "\n");
        }
        Files.writeString(docs.resolve("big.md"), text);
        try (DocsIndex index = DocsIndex.inMemory(List.of(new KnowledgeFolder("big", docs)), EVERY_SEARCH)) {
            Passage hit = index.search("needle", 1).getFirst();
            assertThat(hit.title()).isEqualTo("Big");
            assertThat(hit.startLine()).isLessThanOrEqualTo(300);
            assertThat(hit.endLine()).isGreaterThanOrEqualTo(300);
            assertThat(hit.text()).contains("the needle is here").hasSizeLessThanOrEqualTo(1_500);
        }
    }
}
