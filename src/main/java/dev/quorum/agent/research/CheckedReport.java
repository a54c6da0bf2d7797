package dev.quorum.agent.research;

import java.util.List;

/**
 * A research report after its citations were checked.
 *
 * @param text       the report as posted: unverified citations marked, a Sources section appended
 * @param cited      the sources the report cites that tools really returned, by number
 * @param unverified citation numbers no tool returned in this request
 */
public record CheckedReport(String text, List<Source> cited, List<Integer> unverified) {

    public CheckedReport {
        cited = List.copyOf(cited);
        unverified = List.copyOf(unverified);
    }
}
