package dev.lemming.stress.heap;

import dev.lemming.memory.HeapConfig;

import java.util.Random;

/**
 * Heap shapes for workout seeds: small and varied on purpose, so that scavenges, tenuring,
 * multi-segment old space and multi-pass compaction all happen within a few thousand steps.
 */
public final class WorkoutConfigs {
    private WorkoutConfigs() {}

    /** The sizes for {@code seed}, with the check modes of {@code modes}. */
    public static HeapConfig forSeed(long seed, HeapConfig modes) {
        Random r = new Random(seed * 0x9E3779B97F4A7C15L);
        long eden = (32L << 10) << r.nextInt(4);                  // 32 KB .. 256 KB
        long survivor = Math.max(16L << 10, eden >> (1 + r.nextInt(2)));
        long segment = (64L << 10) << r.nextInt(5);               // 64 KB .. 1 MB
        int buffer = r.nextInt(3) == 0 ? 1 << 20 : 1 + r.nextInt(64);
        return modes.withYoung(eden, survivor).withSegmentBytes(segment).withTenureAge(r.nextInt(4))
                .withCompactionBufferSlots(buffer).withMaxHeap(1L << 30);
    }
}
