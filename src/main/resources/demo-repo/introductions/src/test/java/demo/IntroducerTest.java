package demo;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IntroducerTest {
    private final Introducer introducer = new Introducer();

    @Test
    void introducesTwoPeople() {
        assertEquals("Ada, meet Grace.", introducer.introduce("Ada", " Grace "));
    }

    @Test
    void introducesStrangers() {
        assertEquals("stranger, meet Ada.", introducer.introduce("", "Ada"));
    }
}
