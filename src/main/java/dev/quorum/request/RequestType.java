package dev.quorum.request;

import java.util.Locale;

/** What was asked. Work produces a result; actions change the world after a quorum agreed. */
public enum RequestType {
    RESEARCH(false), CODE(false), TEST(false), MERGE(true), DEPLOY(true);

    private final boolean action;

    RequestType(boolean action) {
        this.action = action;
    }

    public boolean isAction() {
        return action;
    }

    /** The name used in JSON, chat and Redis: lower case. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for an unknown name */
    public static RequestType fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
