package dev.lemming.memory.space;

/** One old-space segment: a mapping that is always walkable from start to end. */
public final class Segment {
    public final Mapping mapping;
    /** Old-space segments from an image mapping are file-backed (copy-on-write). */
    public final boolean fromImage;

    public Segment(Mapping mapping, boolean fromImage) {
        this.mapping = mapping;
        this.fromImage = fromImage;
    }

    public long start() { return mapping.start; }
    public long end() { return mapping.end(); }
    public long size() { return mapping.size; }
    public boolean contains(long a) { return mapping.contains(a); }
    @Override public String toString() { return "segment[0x" + Long.toHexString(start()) + "..0x" + Long.toHexString(end()) + ")"; }
}
