package dev.quorum.agent.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingRerankerTest {

    /**
     * A tiny embedding model for tests: one dimension per concept, a text scores on a concept when it has one of its
     * words. "undo", "revert" and "rollback" mean the same here, as they would to a real model.
     */
    private static final class ConceptEmbeddings implements EmbeddingModel {
        private static final List<List<String>> CONCEPTS = List.of(
                List.of("undo", "revert", "rollback", "roll back"),
                List.of("notes", "changelog"),
                List.of("schedule", "train", "weeks"));

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            return Response.from(segments.stream().map(s -> embedding(s.text())).toList());
        }

        @Override
        public Response<Embedding> embed(TextSegment segment) {
            return Response.from(embedding(segment.text()));
        }

        @Override
        public Response<Embedding> embed(String text) {
            return Response.from(embedding(text));
        }

        private static Embedding embedding(String text) {
            String lower = text.toLowerCase(Locale.ROOT);
            float[] vector = new float[CONCEPTS.size() + 1];
            for (int i = 0; i < CONCEPTS.size(); i++) {
                vector[i] = CONCEPTS.get(i).stream().anyMatch(lower::contains) ? 1 : 0;
            }
            vector[CONCEPTS.size()] = 0.1f; // nothing is orthogonal to everything
            return Embedding.from(vector);
        }
    }

    private static Passage passage(String path, String text) {
        return new Passage(path, path, 1, 1, text, 1);
    }

    @Test
    void lexicalAndSemanticRanksAreFusedByReciprocalRank() {
        Passage notes = passage("notes", "Release notes list every release.");
        Passage train = passage("train", "The release train leaves every two weeks.");
        Passage rollback = passage("rollback", "To undo a release, roll back to the previous tag.");
        EmbeddingReranker reranker = new EmbeddingReranker(new ConceptEmbeddings());

        // BM25 order: notes, train, rollback; by meaning for "undo the release": rollback first, then a tie
        List<Passage> fused = reranker.rerank("how to undo the release", List.of(notes, train, rollback), 3);

        // notes: 1/61 + 1/62, rollback: 1/63 + 1/61, train: 1/62 + 1/63
        assertThat(fused).containsExactly(notes, rollback, train);
        assertThat(reranker.rerank("how to undo the release", List.of(notes, rollback), 1)).containsExactly(rollback);
    }

    @Test
    void aHybridIndexLetsMeaningLiftAPassageThatWordsAloneRankLow(@TempDir Path docs) throws Exception {
        Files.writeString(docs.resolve("notes.md"), "# Release notes\n\nRelease notes list every release, release by release.\n");
        Files.writeString(docs.resolve("rollback.md"), "# Rollback\n\nTo revert a bad release, redeploy the previous tag.\n");
        List<KnowledgeFolder> folders = List.of(new KnowledgeFolder("docs", docs));
        IndexSettings settings = IndexSettings.DEFAULTS.withRescanInterval(Duration.ZERO);

        try (DocsIndex lexical = DocsIndex.inMemory(folders, settings);
             DocsIndex hybrid = DocsIndex.inMemory(folders, settings, new EmbeddingReranker(new ConceptEmbeddings()))) {
            assertThat(lexical.search("undo release", 1)).extracting(Passage::path).containsExactly("docs/notes.md");
            assertThat(hybrid.search("undo release", 1)).extracting(Passage::path).containsExactly("docs/rollback.md");
            assertThat(hybrid.hybrid()).isTrue();
            assertThat(lexical.hybrid()).isFalse();
        }
    }

    @Test
    void withoutTheEmbeddingsModuleHybridSearchFallsBackToWords(@TempDir Path docs) throws Exception {
        assumeFalse(modulePresent(), "this build has the embeddings module");
        Files.writeString(docs.resolve("a.md"), "# A\n\nvotes\n");
        try (DocsIndex index = DocsIndex.inMemory(List.of(new KnowledgeFolder("docs", docs)),
                IndexSettings.DEFAULTS.withHybrid(true))) {
            assertThat(index.hybrid()).isFalse();
            assertThat(index.search("votes", 5)).extracting(Passage::path).containsExactly("docs/a.md");
        }
    }

    /** Runs only in a build with the embeddings profile: {@code mvn -Pembeddings test -Dtest=EmbeddingRerankerTest}. */
    @Test
    void theRealEmbeddingModelRanksARollbackPassageCloserToUndoingARelease() {
        assumeTrue(modulePresent(), "build with -Pembeddings to run this");
        EmbeddingReranker reranker = EmbeddingReranker.discover().orElseThrow();
        Passage notes = passage("notes", "Release notes list every release, with the date of each release.");
        Passage rollback = passage("rollback", "If a deployment goes wrong, redeploy the previous version tag to revert it.");

        assertThat(reranker.rerank("how do I undo a broken release", List.of(notes, rollback), 1))
                .containsExactly(rollback);
    }

    private static boolean modulePresent() {
        try {
            Class.forName(EmbeddingReranker.MODEL_CLASS);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
