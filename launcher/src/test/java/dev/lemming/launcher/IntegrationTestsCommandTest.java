package dev.lemming.launcher;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class IntegrationTestsCommandTest {
    @Test
    void headerExpectationsAreParsed() {
        var e = IntegrationTestsCommand.expectation("\"\nVM:\n  status: error\n  stderr:\n    Traceback...\n    ...\n    Division by zero.\n\"\nFoo = ()\n");
        assertEquals("error", e.status());
        assertNull(e.stdout());
        assertEquals(List.of("Traceback...", "...", "Division by zero."), e.stderr());
    }

    @Test
    void dotsMatchAnyLinesOrAnyText() {
        assertTrue(IntegrationTestsCommand.fuzzyMatch(List.of("a", "...", "z"), List.of("a", "b", "c", "z")));
        assertTrue(IntegrationTestsCommand.fuzzyMatch(List.of("a", "...", "z"), List.of("a", "z")));
        assertFalse(IntegrationTestsCommand.fuzzyMatch(List.of("a", "z"), List.of("a", "b", "z")));
        assertTrue(IntegrationTestsCommand.fuzzyMatch(List.of("Traceback..."), List.of("Traceback (innermost call first):")));
        assertTrue(IntegrationTestsCommand.fuzzyMatch(List.of("...test.som, line 3"), List.of("at /x/test.som, line 3")));
        assertFalse(IntegrationTestsCommand.fuzzyMatch(List.of("1"), List.of("1", "2")));
    }

    @Test
    void statusAndOutputsAreChecked() {
        var ok = new IntegrationTestsCommand.Expectation("success", List.of("42"), null);
        assertNull(IntegrationTestsCommand.check(ok, new IntegrationTestsCommand.Outcome(0, "42\n", "")));
        assertNotNull(IntegrationTestsCommand.check(ok, new IntegrationTestsCommand.Outcome(1, "42\n", "")));
        assertNotNull(IntegrationTestsCommand.check(ok, new IntegrationTestsCommand.Outcome(0, "43\n", "")));
        var exit = new IntegrationTestsCommand.Expectation("42", null, null);
        assertNull(IntegrationTestsCommand.check(exit, new IntegrationTestsCommand.Outcome(42, "", "")));
    }
}
