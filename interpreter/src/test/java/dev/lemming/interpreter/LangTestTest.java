package dev.lemming.interpreter;

import dev.lemming.interpreter.testing.LangTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LangTestTest {
    @Test
    void headerExpectationsAreParsed() {
        var e = LangTest.expectation("\"\nVM:\n  status: error\n  custom_classpath: ./core-lib/A:./core-lib/B\n  stderr:\n    Traceback...\n    ...\n    Division by zero.\n\"\nFoo = ()\n");
        assertEquals("error", e.status());
        assertNull(e.stdout());
        assertEquals(List.of("Traceback...", "...", "Division by zero."), e.stderr());
        assertEquals(List.of("./core-lib/A", "./core-lib/B"), e.customClassPath());
    }

    @Test
    void dotsMatchAnyLinesOrAnyText() {
        assertTrue(LangTest.fuzzyMatch(List.of("a", "...", "z"), List.of("a", "b", "c", "z")));
        assertTrue(LangTest.fuzzyMatch(List.of("a", "...", "z"), List.of("a", "z")));
        assertFalse(LangTest.fuzzyMatch(List.of("a", "z"), List.of("a", "b", "z")));
        assertTrue(LangTest.fuzzyMatch(List.of("Traceback..."), List.of("Traceback (innermost call first):")));
        assertTrue(LangTest.fuzzyMatch(List.of("...test.som, line 3"), List.of("at /x/test.som, line 3")));
        assertTrue(LangTest.fuzzyMatch(List.of("...overflow..."), List.of("ERROR: stack overflow: more")));
        assertFalse(LangTest.fuzzyMatch(List.of("1"), List.of("1", "2")));
    }

    @Test
    void statusAndOutputsAreChecked() {
        var ok = new LangTest.Expectation("success", List.of("42"), null, List.of());
        assertNull(LangTest.check(ok, new LangTest.Outcome(0, "42\n", "")));
        assertNotNull(LangTest.check(ok, new LangTest.Outcome(1, "42\n", "")));
        assertNotNull(LangTest.check(ok, new LangTest.Outcome(0, "43\n", "")));
        var exit = new LangTest.Expectation("42", null, null, List.of());
        assertNull(LangTest.check(exit, new LangTest.Outcome(42, "", "")));
    }
}
