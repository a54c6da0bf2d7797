package dev.quorum.agent.research;

import dev.quorum.agent.research.QuotedPassage.Piece;
import dev.quorum.agent.search.Terms;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BM25 over the sentences and lines of the retrieved passages, each one a document of its own: how well a piece
 * matches the question, with term rarity and length counted among the pieces themselves, the way the index ranks
 * passages among passages. The sum is weighed by the square root of the share of the question's terms the piece has,
 * so that a sentence saying more of what was asked beats a shorter one with fewer of its words. The words that ask
 * ("how", "what", "does", "I") are left out of the question: they say what is asked, not what about, and a sentence
 * that only shares them with the question does not answer it. Pure.
 */
final class SentenceScores {

    private static final double K1 = 1.2;
    private static final double B = 0.75;

    /**
     * A piece and its score; higher is better, 0 when it has none of the question's terms.
     */
    record Scored(Piece piece, double score) {
    }

    private SentenceScores() {
    }

    /** The words of a question that ask, as the index's analyzer makes them. */
    private static final Set<String> ASKING = Set.copyOf(Terms.of("how what why who whom whose which where when do does "
            + "did done can could should would may might must shall i me my we us our you your explain tell show "
            + "describe please"));

    /** Every piece of {@code pieces} scored for {@code question}, in the same order. */
    static List<Scored> of(String question, List<Piece> pieces) {
        Set<String> query = new HashSet<>(Terms.of(question));
        query.removeAll(ASKING);
        if (query.isEmpty()) {
            return pieces.stream().map(p -> new Scored(p, 0)).toList();
        }
        Map<String, Integer> documentFrequency = new HashMap<>();
        double totalLength = 0;
        for (Piece piece : pieces) {
            totalLength += piece.terms().size();
            piece.terms().stream().filter(query::contains).distinct()
                    .forEach(t -> documentFrequency.merge(t, 1, Integer::sum));
        }
        double averageLength = pieces.isEmpty() ? 1 : Math.max(1, totalLength / pieces.size());
        int n = pieces.size();
        return pieces.stream().map(piece -> {
            Map<String, Integer> frequency = new HashMap<>();
            piece.terms().stream().filter(query::contains).forEach(t -> frequency.merge(t, 1, Integer::sum));
            double norm = K1 * (1 - B + B * piece.terms().size() / averageLength);
            double score = 0;
            for (Map.Entry<String, Integer> term : frequency.entrySet()) {
                int df = documentFrequency.get(term.getKey());
                double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
                score += idf * term.getValue() * (K1 + 1) / (term.getValue() + norm);
            }
            return new Scored(piece, score * Math.sqrt((double) frequency.size() / query.size()));
        }).toList();
    }
}
