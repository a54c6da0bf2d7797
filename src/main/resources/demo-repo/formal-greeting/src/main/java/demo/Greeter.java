package demo;

/** Greets people by name, formally. */
public final class Greeter {
    public String greet(String name) {
        if (name == null || name.isBlank()) {
            return "Hello, stranger";
        }
        return "Good day, " + name.strip() + ".";
    }
}
