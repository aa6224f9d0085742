package dev.lemming.stress.injection;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each removed guard is caught by its detector (the times go to stress/README.md's table via `lemming stress fault-injection`). */
class InjectionsTest {
    private static void caught(Injections.Outcome o) {
        System.out.printf("%s | %s | caught=%b | %.2f s | %s%n", o.guard(), o.detector(), o.caught(), o.seconds(), o.report());
        assertTrue(o.caught(), o.guard() + " was not caught by " + o.detector() + ": " + o.report());
    }

    @Test void skippedWriteBarrier() throws Exception { caught(Injections.writeBarrier()); }

    @Test void staleSecondCompactionPass() throws Exception { caught(Injections.staleCompactionPass()); }

    @Test void untaggedWordInAFrameSlot() throws Exception { caught(Injections.untaggedFrameSlot()); }

    @Test void referenceHeldInAJavaLocalAcrossAnAllocation() throws Exception { caught(Injections.staleReferenceAcrossAllocation()); }

    @Test void unpinnedFfiArgument() throws Exception { caught(Injections.unpinnedFfiArgument()); }
}
