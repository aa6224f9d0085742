package dev.lemming.memory.gc;

import dev.lemming.memory.Heap;
import dev.lemming.memory.RawMemory;
import dev.lemming.memory.image.HeapDump;
import dev.lemming.memory.image.Relocator;
import dev.lemming.memory.space.Mapping;
import dev.lemming.memory.space.OldSpace;
import dev.lemming.memory.space.Segment;
import dev.lemming.memory.space.YoungSpace;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * --lemming: before a collection runs for real, it runs on a copy of the heap in scratch
 * mappings, and the copy is verified. If the copy "goes over the cliff", the real heap is still
 * untouched: it is written as a dump that replays the failing collection as often as needed.
 */
public final class LemmingRehearsal {
    private final Heap heap;

    public LemmingRehearsal(Heap heap) { this.heap = heap; }

    public void rehearse(GcKind kind, long tenureTarget) {
        Heap clone = null;
        try {
            Relocator relocator = new Relocator();
            clone = cloneOf(heap, relocator);
            clone.collect(kind, relocator.relocate(tenureTarget));
            clone.verify("after the rehearsed " + kind.name().toLowerCase());
        } catch (RuntimeException e) {
            Path dump;
            try {
                dump = HeapDump.write(heap, kind, tenureTarget);
            } catch (RuntimeException dumpFailure) {
                throw new HeapCorruptionException("--lemming: the " + kind.name().toLowerCase() + " failed on a clone of the heap: "
                        + e.getMessage() + "\n(and the heap could not be saved for replay: " + dumpFailure.getMessage() + ")");
            }
            throw new HeapCorruptionException("--lemming: the " + kind.name().toLowerCase() + " failed on a clone of the heap, so it was not run for real: "
                    + e.getMessage() + "\nThe heap before the collection is saved as " + dump + "; replay with: bin/lemming replay-gc " + dump);
        } finally {
            if (clone != null) clone.close();
        }
    }

    /** A relocated copy of {@code heap} in fresh mappings, its roots carried over as extra roots. */
    public static Heap cloneOf(Heap heap, Relocator relocator) {
        YoungSpace y = heap.young;
        YoungSpace cy = YoungSpace.create(y.edenEnd - y.edenStart, y.survivorSize);
        long delta = cy.edenStart - y.edenStart;
        RawMemory.copy(y.edenStart, cy.edenStart, y.edenTop() - y.edenStart);
        RawMemory.copy(y.pastStart(), y.pastStart() + delta, y.pastTop() - y.pastStart());
        cy.restore(y.edenTop() + delta, y.pastIndex(), y.pastTop() + delta);
        relocator.add(y.mapping.start, y.mapping.size, cy.mapping.start);

        OldSpace co = new OldSpace(heap.old.segmentSize(), heap.old.maxBytes());
        List<Segment> copies = new ArrayList<>();
        try {
            for (Segment s : heap.oldSegments()) {
                Segment c = new Segment(Mapping.anonymous(s.size()), false);
                RawMemory.copy(s.start(), c.start(), s.size());
                relocator.add(s.start(), s.size(), c.start());
                co.addSegment(c);
                copies.add(c);
            }
            for (Segment c : copies) relocator.relocateObjects(c.start(), c.end());
            relocator.relocateObjects(cy.edenStart, cy.edenTop());
            relocator.relocateObjects(cy.pastStart(), cy.pastTop());
            List<Long> roots = new ArrayList<>();
            heap.forEachRoot(v -> { roots.add(v); return v; });
            long[] extra = new long[roots.size()];
            for (int i = 0; i < extra.length; i++) extra[i] = relocator.relocate(roots.get(i));
            Heap clone = Heap.assemble(heap.config.plain(), cy, co, relocator.relocate(heap.specialObjects()), extra);
            clone.setBootstrapping(heap.isBootstrapping());
            return clone;
        } catch (RuntimeException e) {
            co.unmapAll();
            cy.mapping.unmap();
            throw e;
        }
    }
}
