package dev.lemming.jit.asm;

/**
 * Assembly text in, machine code out. The x86-64 back end uses Keystone compiled to WebAssembly
 * ({@link dev.lemming.jit.keystone.KeystoneWasm}); the ARM64 back end will bind the native
 * Keystone library behind the same interface.
 */
public interface Assembler extends AutoCloseable {
    /**
     * Assembles {@code source} as if it were placed at {@code address} (relative branches and
     * rip-relative operands depend on it).
     *
     * @throws AssemblyException with Keystone's message and the source
     */
    byte[] assemble(String source, long address);

    /** The architecture this assembler produces code for, as Keystone names it ("x86-64"). */
    String architecture();

    @Override
    void close();
}
