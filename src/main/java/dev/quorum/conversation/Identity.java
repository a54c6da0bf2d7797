package dev.quorum.conversation;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who said something: {@code platform:id}, such as {@code slack:U024BE7LH} or {@code console:alice}
 * (SPEC §2). Display names never decide anything; only identities do.
 */
public record Identity(String platform, String id) {
    private static final Pattern SHAPE = Pattern.compile("([a-z]+):([A-Za-z0-9_.-]{1,64})");

    public Identity {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(id, "id");
        if (!SHAPE.matcher(platform + ":" + id).matches()) {
            throw new IllegalArgumentException("not an identity: " + platform + ":" + id);
        }
    }

    /** @throws IllegalArgumentException when the text is not {@code platform:id} */
    public static Identity parse(String text) {
        Matcher m = SHAPE.matcher(text == null ? "" : text);
        if (!m.matches()) throw new IllegalArgumentException("not an identity: " + text);
        return new Identity(m.group(1), m.group(2));
    }

    public static Identity console(String user) {
        return new Identity("console", user);
    }

    @Override
    public String toString() {
        return platform + ":" + id;
    }
}
