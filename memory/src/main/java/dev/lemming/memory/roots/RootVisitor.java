package dev.lemming.memory.roots;

/** Sees one root reference and answers what it must be replaced by (the same value if nothing moved). */
@FunctionalInterface
public interface RootVisitor {
    long visit(long reference);
}
