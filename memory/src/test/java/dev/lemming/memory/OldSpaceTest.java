package dev.lemming.memory;

import dev.lemming.memory.object.Layout;
import dev.lemming.memory.space.Mapping;
import dev.lemming.memory.space.OldSpace;
import dev.lemming.memory.space.Segment;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class OldSpaceTest {
    private static final long SIZE = 65536;

    /** Regression: free chunks at the end of one segment and the start of an adjacent one were merged. */
    @Test
    void freeRangesNeverStraddleAdjacentSegments() {
        // two segments back to back in the address space, as mmap often places them: reserve a
        // double range, give it back, and map both halves at fixed addresses
        Mapping a = null, b = null;
        for (int attempt = 0; attempt < 10 && (a == null || b == null); attempt++) {
            if (a != null) a.unmap();
            if (b != null) b.unmap();
            Mapping both = Mapping.anonymous(2 * SIZE);
            long base = both.start;
            both.unmap();
            a = Mapping.anonymousAt(base, SIZE);
            b = Mapping.anonymousAt(base + SIZE, SIZE);
        }
        assertNotNull(a);
        assertNotNull(b);
        OldSpace old = new OldSpace(SIZE, 1 << 30);
        Segment sa = new Segment(a, false), sb = new Segment(b, false);
        Layout.formatFree(sa.start(), SIZE);
        Layout.formatFree(sb.start(), SIZE);
        old.addSegment(sa);
        old.addSegment(sb);
        old.rebuildFreeList();
        long first = old.allocateChunk(SIZE - 64);
        assertTrue(sa.contains(first));
        long second = old.allocateChunk(128);
        assertTrue(sb.contains(second), "an allocation that does not fit in the first segment's tail goes to the second");
        for (Segment s : new Segment[]{sa, sb}) {
            long chunk = s.start();
            while (chunk < s.end()) chunk = Layout.chunkEnd(Layout.oopAtChunk(chunk));
            assertEquals(s.end(), chunk, "the walk of " + s + " ends exactly at its end");
        }
        old.unmapAll();
    }
}
