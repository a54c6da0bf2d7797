package demo;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GreeterTest {
    private final Greeter greeter = new Greeter();

    @Test
    void greetsByName() {
        assertEquals("Good day, Ada.", greeter.greet("Ada"));
    }

    @Test
    void trimsTheName() {
        assertEquals("Good day, Ada.", greeter.greet("  Ada "));
    }

    @Test
    void greetsStrangers() {
        assertEquals("Hello, stranger", greeter.greet(" "));
    }
}
