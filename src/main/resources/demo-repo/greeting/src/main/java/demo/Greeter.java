package demo;

/** Greets people by name, and says goodbye too. */
public final class Greeter {
    public String greet(String name) {
        if (name == null || name.isBlank()) {
            return "Hello, stranger";
        }
        return "Hello, " + name.strip() + "! Welcome aboard.";
    }

    public String farewell(String name) {
        return "Goodbye, " + (name == null || name.isBlank() ? "stranger" : name.strip());
    }
}
