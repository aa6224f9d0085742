package dev.lemming.interpreter.exec;

/**
 * Primitives from another module (the FFI bridge, later the JIT's helpers), found with
 * {@link java.util.ServiceLoader}: the interpreter does not depend on them, and a VM without them
 * on its class path simply lacks those primitives. Their SOM classes are resources under
 * {@code core/}, found after the user's class path like the rest of the core library.
 */
public interface PrimitiveProvider {
    void install(PrimitiveSet primitives);
}
