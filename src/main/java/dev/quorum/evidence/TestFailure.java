package dev.quorum.evidence;

import java.util.Objects;

/**
 * One failed or erroneous test case as shown to users.
 *
 * @param name    {@code classname.name} of the test case, or its name alone when it has no class
 * @param message the failure's {@code message} attribute, else the first line of its text;
 *                bounded in length and already redacted; may be empty
 */
public record TestFailure(String name, String message) {

    public TestFailure {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(message, "message");
    }
}
