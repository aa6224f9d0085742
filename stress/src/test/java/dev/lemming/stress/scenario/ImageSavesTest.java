package dev.lemming.stress.scenario;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The short form of `lemming stress image-saves`: 20 steps, the images of steps 10 and 20 resumed in fresh processes. */
class ImageSavesTest {
    @Test
    void resumedImagesFindTheGraphTheySaved() throws Exception {
        var bytes = new ByteArrayOutputStream();
        var r = ImageSaves.run(20, List.of("--segment=1m", "--eden=1m", "--compaction-buffer=16", "--verify-heap"),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(List.of(), r.failures(), bytes.toString(StandardCharsets.UTF_8));
        assertEquals(2, r.imagesChecked());
    }
}
