package dev.lemming.memory.gc;

/** Counters of one heap's collections, for --gc-stats, benchmarks and tests. */
public final class GcStats {
    public long scavenges, fullGcs, rehearsals;
    public long bytesSurvived, bytesTenured, objectsSurvived;
    public long compactionPasses, bytesCompacted, segmentsReleased;
    public long scavengeNanos, fullGcNanos, lastPauseNanos, maxPauseNanos;
    public long verifications;

    @Override
    public String toString() {
        return String.format("scavenges=%d (%.1f ms, %d bytes survived, %d tenured) fullGCs=%d (%.1f ms, %d passes, %d bytes moved, %d segments released) max pause %.2f ms",
                scavenges, scavengeNanos / 1e6, bytesSurvived, bytesTenured, fullGcs, fullGcNanos / 1e6,
                compactionPasses, bytesCompacted, segmentsReleased, maxPauseNanos / 1e6);
    }
}
