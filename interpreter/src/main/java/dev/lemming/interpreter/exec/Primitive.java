package dev.lemming.interpreter.exec;

/**
 * A method done in Java. The receiver and {@code nargs} arguments are on the stack
 * ({@link Interpreter#stackValue}); it answers the result (which replaces them), or
 * {@link #DONE} when it has arranged the stack and frames itself (block evaluation, perform:).
 * Failures are thrown as {@link SmalltalkError}.
 */
@FunctionalInterface
public interface Primitive {
    long DONE = 0;

    long call(Interpreter in, int nargs);
}
