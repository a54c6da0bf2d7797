package dev.quorum.config;

/**
 * A configuration that Quorum refuses to start with. The message is one line that names the
 * key, the offending value and what is wrong with it, so that the operator can fix it without
 * reading a stack trace.
 */
public final class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, Object value, String problem) {
        super(format(key, value, problem));
        this.key = key;
    }

    /** The dotted key path, for example {@code policies.merge.approvals}. */
    public String key() {
        return key;
    }

    private static String format(String key, Object value, String problem) {
        String shown = value == null ? "(missing)" : '"' + String.valueOf(value) + '"';
        return "config error: " + key + " = " + shown + ": " + problem;
    }
}
