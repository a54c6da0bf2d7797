package dev.quorum.web;

import java.util.ArrayList;
import java.util.List;

/** A strict RFC 4180 reader for the tests of {@code GET /api/requests.csv}: rows of cells, quotes undone. */
final class CsvRows {
    private CsvRows() {}

    static List<List<String>> parse(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                cell.append(c);
            }
        }
        if (quoted) throw new AssertionError("the CSV ends inside a quoted cell");
        if (!row.isEmpty() || !cell.isEmpty()) throw new AssertionError("the CSV's last row has no CRLF");
        return rows;
    }
}
