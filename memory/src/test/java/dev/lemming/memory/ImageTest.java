package dev.lemming.memory;

import dev.lemming.memory.image.ImageFormatException;
import dev.lemming.memory.image.ImageReader;
import dev.lemming.memory.image.ImageWriter;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.space.Mapping;
import dev.lemming.memory.space.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ImageTest {
    @TempDir Path dir;

    private static final int ROOT = 20;

    /** A heap with a linked list of n nodes (payload i) under special object ROOT, plus a byte object. */
    private static Heap populated(int n) {
        Heap heap = Heap.create(TestHeaps.small());
        int cls = TestHeaps.testClass(heap);
        try (var s = heap.scope()) {
            var list = heap.handle(heap.nil());
            for (int i = 0; i < n; i++) {
                long node = heap.allocatePointers(cls, Format.FIXED_POINTERS, 2);
                heap.store(node, 0, Tags.smallInteger(i));
                heap.store(node, 1, list.get());
                list.set(node);
            }
            long bytes = heap.allocateBytes(cls, 5);
            for (int i = 0; i < 5; i++) RawMemory.putByte(Layout.firstByteAddress(bytes) + i, (byte) ('a' + i));
            heap.store(list.get(), 0, bytes); // the head's payload is the byte object
            heap.setSpecialObject(ROOT, list.get());
        }
        return heap;
    }

    private static void checkPopulated(Heap heap, int n) {
        long node = heap.specialObject(ROOT);
        long bytes = heap.fetch(node, 0);
        assertEquals(5, Layout.byteSize(bytes));
        assertEquals('c', RawMemory.getByte(Layout.firstByteAddress(bytes) + 2));
        node = heap.fetch(node, 1);
        for (int i = n - 2; i >= 0; i--) {
            assertEquals(Tags.smallInteger(i), heap.fetch(node, 0));
            node = heap.fetch(node, 1);
        }
        assertEquals(heap.nil(), node);
        heap.verify("after load");
    }

    private static List<Long> segmentBases(Heap heap) {
        List<Long> out = new ArrayList<>();
        for (Segment s : heap.oldSegments()) out.add(s.start());
        return out;
    }

    @Test
    void imageLoadsAtItsRecordedAddressesWhenTheyAreFree() {
        Path image = dir.resolve("a.image");
        List<Long> bases;
        try (Heap heap = populated(5000)) {
            ImageWriter.save(heap, image);
            bases = segmentBases(heap);
        } // unmapped: the recorded addresses are free again
        var loaded = ImageReader.load(image, TestHeaps.small());
        try (Heap heap = loaded.heap()) {
            assertFalse(loaded.relocated());
            assertEquals(bases, segmentBases(heap));
            checkPopulated(heap, 5000);
            heap.fullGC();
            checkPopulated(heap, 5000);
        }
    }

    @Test
    void imageIsRelocatedWhenItsAddressesAreTaken() {
        Path image = dir.resolve("b.image");
        try (Heap original = populated(5000)) {
            ImageWriter.save(original, image);
            // the original still occupies every recorded address: loading must relocate
            var loaded = ImageReader.load(image, TestHeaps.small());
            try (Heap heap = loaded.heap()) {
                assertTrue(loaded.relocated());
                checkPopulated(heap, 5000);
                heap.fullGC();
                checkPopulated(heap, 5000);
            }
        }
    }

    @Test
    void relocationCanBeForcedEvenWhenTheAddressesAreFree() {
        Path image = dir.resolve("c.image");
        long firstBase;
        try (Heap heap = populated(3000)) {
            ImageWriter.save(heap, image);
            firstBase = heap.oldSegments().get(0).start();
        }
        // something else takes part of the range, as another mapping would in a new process
        Mapping blocker = Mapping.anonymousAt(firstBase, Mapping.PAGE);
        assertNotNull(blocker, "the freed range can be taken");
        try {
            var loaded = ImageReader.load(image, TestHeaps.small());
            try (Heap heap = loaded.heap()) {
                assertTrue(loaded.relocated());
                checkPopulated(heap, 3000);
            }
        } finally {
            if (blocker != null) blocker.unmap();
        }
        var forced = ImageReader.load(image, TestHeaps.small(), true);
        try (Heap heap = forced.heap()) {
            assertTrue(forced.relocated());
            checkPopulated(heap, 3000);
        }
    }

    @Test
    void savingLeavesNoTemporaryFileAndReplacesAnOldImage() throws IOException {
        Path image = dir.resolve("d.image");
        try (Heap heap = populated(10)) {
            ImageWriter.save(heap, image);
            ImageWriter.save(heap, image);
        }
        assertTrue(Files.exists(image));
        assertFalse(Files.exists(dir.resolve("d.image.tmp")));
    }

    @Test
    void aCorruptSegmentIsRefused() throws IOException {
        Path image = dir.resolve("e.image");
        try (Heap heap = populated(100)) { ImageWriter.save(heap, image); }
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(f.length() - 100);
            int b = f.read();
            f.seek(f.length() - 100);
            f.write(b ^ 0x40);
        }
        var e = assertThrows(ImageFormatException.class, () -> ImageReader.load(image, TestHeaps.small()));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void aTruncatedImageIsRefused() throws IOException {
        Path image = dir.resolve("f.image");
        try (Heap heap = populated(100)) { ImageWriter.save(heap, image); }
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) { f.setLength(f.length() - 4096); }
        var e = assertThrows(ImageFormatException.class, () -> ImageReader.load(image, TestHeaps.small()));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aForeignFileIsRefused() throws IOException {
        Path notImage = dir.resolve("g.image");
        Files.writeString(notImage, "Object subclass: #Foo instanceVariableNames: '' ".repeat(20));
        var e = assertThrows(ImageFormatException.class, () -> ImageReader.load(notImage, TestHeaps.small()));
        assertTrue(e.getMessage().contains("not a Lemming image"), e.getMessage());
        Path tiny = dir.resolve("h.image");
        Files.write(tiny, new byte[]{1, 2, 3});
        assertThrows(ImageFormatException.class, () -> ImageReader.load(tiny, TestHeaps.small()));
    }

    @Test
    void aCorruptHeaderIsRefused() throws IOException {
        Path image = dir.resolve("i.image");
        try (Heap heap = populated(10)) { ImageWriter.save(heap, image); }
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(25); // inside the special-objects reference
            f.write(0x55);
        }
        var e = assertThrows(ImageFormatException.class, () -> ImageReader.load(image, TestHeaps.small()));
        assertTrue(e.getMessage().contains("header checksum"), e.getMessage());
    }

    @Test
    void manyRoundTripsKeepTheHeapIntact() {
        Path image = dir.resolve("j.image");
        Heap heap = populated(2000);
        try {
            for (int i = 0; i < 20; i++) {
                ImageWriter.save(heap, image);
                heap.close();
                heap = ImageReader.load(image, TestHeaps.small(), i % 2 == 1).heap();
                checkPopulated(heap, 2000);
            }
        } finally {
            heap.close();
        }
    }
}
