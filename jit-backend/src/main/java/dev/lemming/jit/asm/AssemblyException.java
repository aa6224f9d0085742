package dev.lemming.jit.asm;

/** An assembler refused its input: the assembler's own message, and the source it was given. */
public final class AssemblyException extends RuntimeException {
    public final String source;

    public AssemblyException(String message, String source) {
        super(message + "\n--- source ---\n" + source);
        this.source = source;
    }
}
