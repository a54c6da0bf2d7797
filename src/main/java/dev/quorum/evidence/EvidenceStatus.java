package dev.quorum.evidence;

import com.fasterxml.jackson.annotation.JsonValue;

/** The verdict of a test run. Only {@link #PASSED} lets a change go ahead. */
public enum EvidenceStatus {
    /** The command exited 0 in time and the reports list at least one test and no failure or error. */
    PASSED("passed"),
    /** Anything short of passed that ran to completion: failing tests, a non-zero exit, missing or corrupt reports. */
    FAILED("failed"),
    /** The command hit the repository's time limit and its process tree was killed. */
    TIMED_OUT("timed_out"),
    /** Someone cancelled the run, while queued or while running. */
    CANCELLED("cancelled"),
    /** Quorum could not run the command at all, e.g. the commit could not be checked out. */
    ERROR("error");

    private final String wireName;

    EvidenceStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The name in JSON and in chat, e.g. {@code timed_out}. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
