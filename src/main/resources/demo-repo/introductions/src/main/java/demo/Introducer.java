package demo;

/** Introduces two people to each other. */
public final class Introducer {
    public String introduce(String one, String other) {
        return name(one) + ", meet " + name(other) + ".";
    }

    private static String name(String name) {
        return name == null || name.isBlank() ? "stranger" : name.strip();
    }
}
