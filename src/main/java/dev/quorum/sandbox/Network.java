package dev.quorum.sandbox;

import java.util.Locale;

/** What a run can reach over the network. */
public enum Network {
    /** Its own network namespace with only a loopback device: nothing outside, not even the host's loopback. */
    NONE,
    /** The host's network, loopback included (Redis and Quorum's own port then rely on their credentials). */
    HOST;

    /** {@code none} or {@code host}, as the config writes it. */
    public static Network parse(String text) {
        return switch (text == null ? "" : text.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "host" -> HOST;
            default -> throw new IllegalArgumentException("must be none or host");
        };
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
