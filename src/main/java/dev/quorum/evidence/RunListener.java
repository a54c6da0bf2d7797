package dev.quorum.evidence;

/**
 * Receives the {@link RunEvent}s of one run, in order, on the thread that runs it or on the
 * thread whose run freed a slot. Should return quickly; an exception it throws is logged and
 * ignored, so that a failing chat update cannot spoil evidence.
 */
@FunctionalInterface
public interface RunListener {

    /** Ignores every event. */
    RunListener NONE = event -> { };

    void onEvent(RunEvent event);
}
