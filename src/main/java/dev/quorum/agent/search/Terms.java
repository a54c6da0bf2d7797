package dev.quorum.agent.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The terms the docs index makes of a text, with the very analyzer it indexes and searches with: a sentence matches a
 * question term for term as its passage did ({@code greetsStrangers} gives {@code stranger}, "retries" gives
 * {@code retri}). Thread-safe.
 */
public final class Terms {

    private static final Analyzer ANALYZER = new DocsAnalyzer();

    private Terms() {
    }

    /** The terms of {@code text} in order, repeated as often as they occur; stop words are gone. */
    public static List<String> of(String text) {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = ANALYZER.tokenStream("content", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysing a string cannot fail", e);
        }
        return terms;
    }
}
