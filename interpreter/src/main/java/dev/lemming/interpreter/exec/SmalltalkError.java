package dev.lemming.interpreter.exec;

/**
 * An error in the user's program that the VM reports (not a bug of the VM): printed as a
 * Smalltalk-level message and backtrace, exit code 1.
 */
public class SmalltalkError extends RuntimeException {
    private String backtrace = "";

    public SmalltalkError(String message) { super(message, null, false, false); }

    public SmalltalkError withBacktrace(String bt) { if (backtrace.isEmpty()) backtrace = bt; return this; }
    public String backtrace() { return backtrace; }
}
