package demo;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Greets for half a minute, as a slow integration suite would take: something to cancel. */
class GreeterSoakTest {
    private final Greeter greeter = new Greeter();

    @Test
    void keepsGreetingForHalfAMinute() throws InterruptedException {
        Instant end = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(end)) {
            assertEquals("Hello, Ada", greeter.greet("Ada"));
            Thread.sleep(100);
        }
    }
}
