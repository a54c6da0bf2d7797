package dev.quorum.evidence;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Finds every form of every secret in one pass over text, whatever their number: an Aho-Corasick
 * automaton. A state is an int; {@link #step} feeds one character, and the state then says how
 * long the longest literal and the longest encoded form ending at that character are
 * ({@link #literalLength}, {@link #encodedLength}; 0 for none) and how many of the last
 * characters may still begin a match ({@link #depth}). The state may be carried from one line to
 * the next: that is how a secret split over a line break is found.
 *
 * <p>The root's transitions are a table for ASCII, since almost every character of a log leaves
 * the automaton at or next to the root; deeper states keep sorted child lists. Immutable.
 */
final class SecretMatcher {

    static final int ROOT = 0;

    private final int[] rootAscii = new int[128];
    private final TreeMap<Character, Integer> rootOther = new TreeMap<>();
    private final int[] childStart; // children of state s: childChars/childStates[childStart[s] .. childStart[s + 1])
    private final char[] childChars;
    private final int[] childStates;
    private final int[] fail;
    private final int[] depth;
    private final int[] literal;
    private final int[] encoded;
    private final boolean anyBlank;

    SecretMatcher(List<SecretForms.Form> forms) {
        List<TreeMap<Character, Integer>> children = new ArrayList<>();
        List<Integer> depths = new ArrayList<>();
        List<int[]> outputs = new ArrayList<>(); // {literal length, encoded length} of the form ending here
        children.add(new TreeMap<>());
        depths.add(0);
        outputs.add(new int[2]);
        boolean blank = false;
        for (SecretForms.Form form : forms) {
            int s = ROOT;
            for (char c : form.text().toCharArray()) {
                blank |= c == ' ';
                Integer next = children.get(s).get(c);
                if (next == null) {
                    next = children.size();
                    children.add(new TreeMap<>());
                    depths.add(depths.get(s) + 1);
                    outputs.add(new int[2]);
                    children.get(s).put(c, next);
                }
                s = next;
            }
            int kind = form.encoded() ? 1 : 0;
            outputs.get(s)[kind] = Math.max(outputs.get(s)[kind], form.text().length());
        }
        int n = children.size();
        anyBlank = blank;
        childStart = new int[n + 1];
        for (int s = 0; s < n; s++) {
            childStart[s + 1] = childStart[s] + children.get(s).size();
        }
        childChars = new char[childStart[n]];
        childStates = new int[childStart[n]];
        for (int s = 0; s < n; s++) {
            int i = childStart[s];
            for (var child : children.get(s).entrySet()) {
                childChars[i] = child.getKey();
                childStates[i++] = child.getValue();
            }
        }
        children.getFirst().forEach((c, s) -> {
            if (c < 128) rootAscii[c] = s;
            else rootOther.put(c, s);
        });
        depth = depths.stream().mapToInt(Integer::intValue).toArray();
        literal = new int[n];
        encoded = new int[n];
        fail = new int[n];
        // Breadth first, so that a state's failure state (shallower) is complete before it.
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(ROOT);
        while (!queue.isEmpty()) {
            int s = queue.poll();
            literal[s] = Math.max(outputs.get(s)[0], s == ROOT ? 0 : literal[fail[s]]);
            encoded[s] = Math.max(outputs.get(s)[1], s == ROOT ? 0 : encoded[fail[s]]);
            for (int i = childStart[s]; i < childStart[s + 1]; i++) {
                int child = childStates[i];
                fail[child] = s == ROOT ? ROOT : step(fail[s], childChars[i]);
                queue.add(child);
            }
        }
    }

    /** The state after {@code c}. */
    int step(int state, char c) {
        int s = state;
        while (s != ROOT) {
            int next = child(s, c);
            if (next >= 0) {
                return next;
            }
            s = fail[s];
        }
        if (c < 128) {
            return rootAscii[c];
        }
        Integer next = rootOther.get(c);
        return next == null ? ROOT : next;
    }

    private int child(int s, char c) {
        int from = childStart[s];
        int to = childStart[s + 1];
        if (to - from == 1) {
            return childChars[from] == c ? childStates[from] : -1;
        }
        int i = Arrays.binarySearch(childChars, from, to, c);
        return i >= 0 ? childStates[i] : -1;
    }

    /** Length of the longest literal form that ends with the character that led to {@code state}; 0 for none. */
    int literalLength(int state) {
        return literal[state];
    }

    /** Length of the longest encoded form that ends with the character that led to {@code state}; 0 for none. */
    int encodedLength(int state) {
        return encoded[state];
    }

    /** How many of the last characters are the beginning of some form: no match can start before them. */
    int depth(int state) {
        return depth[state];
    }

    /** Whether a form contains a blank, so that {@code +} in a query string may stand for one. */
    boolean anyBlank() {
        return anyBlank;
    }

    /** Whether there are forms at all. */
    boolean isEmpty() {
        return childStart[1] == 0;
    }
}
