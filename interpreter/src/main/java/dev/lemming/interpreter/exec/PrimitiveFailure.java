package dev.lemming.interpreter.exec;

/**
 * A primitive that cannot do its job. The interpreter turns it into a Smalltalk exception of
 * the named class (Error, ZeroDivide ...) signalled where the primitive was called, so programs
 * can handle it with on:do:.
 */
public class PrimitiveFailure extends SmalltalkError {
    public final String exceptionClass;

    public PrimitiveFailure(String message) { this("Error", message); }

    public PrimitiveFailure(String exceptionClass, String message) {
        super(message);
        this.exceptionClass = exceptionClass;
    }
}
