package dev.lemming.memory;

import dev.lemming.memory.gc.HeapCorruptionException;
import dev.lemming.memory.image.HeapDump;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.roots.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class LemmingModeTest {
    @TempDir Path dir;

    @Test
    void rehearsalsRunBeforeEveryCollectionAndLeaveTheHeapAsItWouldBe() {
        HeapConfig cfg = TestHeaps.small().withLemming(true, dir).withVerifyHeap(true);
        try (Heap heap = Heap.create(cfg); var s = heap.scope()) {
            int cls = TestHeaps.testClass(heap);
            Handle list = heap.handle(heap.nil());
            for (int i = 0; i < 2000; i++) {
                long node = heap.allocatePointers(cls, Format.FIXED_POINTERS, 2);
                heap.store(node, 0, Tags.smallInteger(i));
                heap.store(node, 1, i % 2 == 0 ? list.get() : heap.nil());
                if (i % 2 == 0) list.set(node);
            }
            heap.scavenge();
            heap.fullGC();
            assertTrue(heap.stats.rehearsals >= 2, "rehearsals: " + heap.stats.rehearsals);
            long n = list.get();
            for (int i = 1998; i >= 0; i -= 2) { assertEquals(Tags.smallInteger(i), heap.fetch(n, 0)); n = heap.fetch(n, 1); }
        }
    }

    @Test
    void aBrokenHeapIsCaughtOnTheCloneAndTheDumpReplaysTheFailure() throws Exception {
        HeapConfig cfg = TestHeaps.small().withLemming(true, dir);
        try (Heap heap = Heap.create(cfg); var s = heap.scope()) {
            int cls = TestHeaps.testClass(heap);
            Handle holder = heap.handle(heap.allocatePointers(cls, Format.FIXED_POINTERS, 1));
            heap.fullGC();
            // the bug: an old object gets a young reference without the write barrier
            long young = heap.allocatePointers(cls, Format.FIXED_POINTERS, 1);
            Layout.storeRaw(holder.get(), 0, young);
            long edenTopBefore = heap.young.edenTop();
            var e = assertThrows(HeapCorruptionException.class, heap::scavenge);
            assertTrue(e.getMessage().contains("failed on a clone"), e.getMessage());
            assertEquals(edenTopBefore, heap.young.edenTop(), "the real heap was not collected");
            assertEquals(young, heap.fetch(holder.get(), 0), "the real heap is untouched");
            Matcher m = Pattern.compile("saved as (\\S+);").matcher(e.getMessage());
            assertTrue(m.find(), e.getMessage());
            Path dump = Path.of(m.group(1));
            assertTrue(Files.exists(dump));
            for (int i = 0; i < 2; i++) {
                HeapDump.Replay replay = HeapDump.replay(dump, TestHeaps.small());
                assertFalse(replay.passed(), "the replay fails the same way every time");
                assertTrue(replay.failure().contains("not remembered") || replay.failure().contains("holds"), replay.failure());
            }
        }
    }
}
