package dev.lemming.launcher;

/** Bad command-line input: printed as one line, exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) { super(message); }
}
