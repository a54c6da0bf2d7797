package dev.quorum.agent.search;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hybrid half of docs search: re-orders BM25's candidates by meaning (cosine similarity of sentence embeddings)
 * and fuses both rankings with reciprocal rank fusion, so a passage that says "roll back" can win for "undo a release".
 * It re-ranks what BM25 found; it does not find passages with no word in common with the query.
 *
 * <p>The embedding model ({@code all-MiniLM-L6-v2}, quantized, in-process ONNX) is not in the default build: it comes
 * with the Maven profile {@code embeddings}, and {@link #discover()} finds it by reflection. Safe for concurrent use
 * (the ONNX model is); passage embeddings are cached by text.
 */
public final class EmbeddingReranker {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingReranker.class);
    /** The model class the {@code embeddings} profile brings in. */
    static final String MODEL_CLASS =
            "dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel";
    /** Reciprocal rank fusion constant; 60 is the value from the original paper and works without tuning. */
    private static final int RRF_K = 60;
    private static final int MAX_CACHED = 20_000;

    private final EmbeddingModel model;
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();

    public EmbeddingReranker(EmbeddingModel model) {
        this.model = model;
    }

    /** The reranker, if this build has the embeddings module; empty (and a log line saying how to get it) if not. */
    public static Optional<EmbeddingReranker> discover() {
        try {
            Object model = Class.forName(MODEL_CLASS).getConstructor().newInstance();
            return Optional.of(new EmbeddingReranker((EmbeddingModel) model));
        } catch (ClassNotFoundException absent) {
            LOG.warn("Hybrid docs search is on, but this build has no embeddings module; searching by words only. "
                    + "Build with 'mvn -Pembeddings package' to include it.");
            return Optional.empty();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException broken) {
            LOG.warn("Hybrid docs search is on, but the embedding model could not start; searching by words only",
                    broken);
            return Optional.empty();
        }
    }

    /** The best {@code limit} of {@code candidates} (given best first by BM25), fused with semantic similarity. */
    public List<Passage> rerank(String query, List<Passage> candidates, int limit) {
        if (candidates.size() <= 1) {
            return candidates.stream().limit(limit).toList();
        }
        float[] q = model.embed(query).content().vector();
        Map<Passage, Double> similarity = new HashMap<>();
        for (Passage passage : candidates) {
            similarity.put(passage, cosine(q, embedding(passage.text())));
        }
        List<Passage> bySimilarity = new ArrayList<>(candidates);
        bySimilarity.sort(Comparator.comparingDouble((Passage p) -> similarity.get(p)).reversed());
        Map<Passage, Double> fused = new HashMap<>();
        for (int rank = 0; rank < candidates.size(); rank++) {
            fused.merge(candidates.get(rank), 1.0 / (RRF_K + rank + 1), Double::sum);
            fused.merge(bySimilarity.get(rank), 1.0 / (RRF_K + rank + 1), Double::sum);
        }
        // equal fused scores (e.g. two candidates in swapped order) go to the closer meaning
        return candidates.stream()
                .sorted(Comparator.comparingDouble((Passage p) -> fused.get(p))
                        .thenComparingDouble(similarity::get).reversed())
                .limit(limit)
                .toList();
    }

    private float[] embedding(String text) {
        float[] cached = cache.get(text);
        if (cached != null) {
            return cached;
        }
        Embedding embedding = model.embed(TextSegment.from(text)).content();
        if (cache.size() >= MAX_CACHED) {
            cache.clear(); // crude bound: a docs corpus rarely has this many distinct hot passages
        }
        cache.put(text, embedding.vector());
        return embedding.vector();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / (Math.sqrt(na) * Math.sqrt(nb));
    }
}
