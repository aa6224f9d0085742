package dev.lemming.memory.roots;

/**
 * Roots that live outside the heap: the interpreter's stack zone, the FFI's callback
 * registrations. A collector calls {@link #visitRoots} and the provider stores back what the
 * visitor answers for every reference it holds.
 */
@FunctionalInterface
public interface RootProvider {
    void visitRoots(RootVisitor visitor);
}
