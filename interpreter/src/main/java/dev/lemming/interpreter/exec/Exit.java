package dev.lemming.interpreter.exec;

/** `system exit: n`: unwinds every Java frame of the VM and ends the program with that code. */
public final class Exit extends RuntimeException {
    public final int code;

    public Exit(int code) { super(null, null, false, false); this.code = code; }
}
