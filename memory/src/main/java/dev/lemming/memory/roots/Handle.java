package dev.lemming.memory.roots;

/** A reference that collections keep up to date; valid until its scope closes. */
public final class Handle {
    private final Handles owner;
    private final int index;

    Handle(Handles owner, int index) { this.owner = owner; this.index = index; }

    public long get() {
        if (index >= owner.top()) throw new IllegalStateException("handle used after its scope closed");
        return owner.get(index);
    }
    public void set(long reference) {
        if (index >= owner.top()) throw new IllegalStateException("handle used after its scope closed");
        owner.set(index, reference);
    }
}
