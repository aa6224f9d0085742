package dev.lemming.memory.roots;

/** Releases every handle made since it was opened. */
public final class HandleScope implements AutoCloseable {
    private final Handles handles;
    private final int mark;

    HandleScope(Handles handles, int mark) { this.handles = handles; this.mark = mark; }

    @Override public void close() { handles.release(mark); }
}
