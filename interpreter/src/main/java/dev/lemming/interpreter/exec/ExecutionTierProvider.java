package dev.lemming.interpreter.exec;

/** Found through {@link java.util.ServiceLoader}: the interpreter does not depend on the JIT. */
public interface ExecutionTierProvider {
    /** The architecture it compiles for ("x86-64"); the VM picks the one matching the host. */
    String architecture();

    ExecutionTier create(Interpreter interpreter);
}
