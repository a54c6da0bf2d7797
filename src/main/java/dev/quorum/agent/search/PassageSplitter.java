package dev.quorum.agent.search;

import java.util.ArrayList;
import java.util.List;

/** Cuts a file's text into passages of about a target size, on line boundaries where it can. Stateless. */
final class PassageSplitter {

    /**
     * A passage before indexing.
     *
     * @param startLine first line, from 1
     * @param endLine   last line
     */
    record Piece(int startLine, int endLine, String text) {
    }

    private final int targetChars;

    PassageSplitter(int targetChars) {
        this.targetChars = targetChars;
    }

    List<Piece> split(String text) {
        List<Piece> pieces = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        StringBuilder current = new StringBuilder();
        int start = 1;
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i];
            if (!current.isEmpty() && current.length() + line.length() + 1 > targetChars) {
                add(pieces, start, lineNo - 1, current);
                start = lineNo;
            }
            // a single overlong line (minified, generated) is cut into pieces of its own
            while (line.length() > targetChars) {
                pieces.add(new Piece(lineNo, lineNo, line.substring(0, targetChars)));
                line = line.substring(targetChars);
                start = lineNo;
            }
            if (current.isEmpty()) {
                start = lineNo;
            }
            current.append(line).append('\n');
        }
        add(pieces, start, lines.length, current);
        return pieces;
    }

    private static void add(List<Piece> pieces, int start, int end, StringBuilder text) {
        if (!text.toString().isBlank()) {
            pieces.add(new Piece(start, Math.max(start, end), text.toString().stripTrailing()));
        }
        text.setLength(0);
    }
}
