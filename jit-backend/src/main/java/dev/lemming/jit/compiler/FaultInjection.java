package dev.lemming.jit.compiler;

/**
 * Guards the compiler can leave out on purpose, for tests that prove a detector catches the bug
 * (never a user-facing option). Methods compiled while a fault is on keep it.
 */
public final class FaultInjection {
    private FaultInjection() {}

    /** SmallInteger + without its overflow exit: results wrap around instead of becoming large integers. */
    public static volatile boolean dropOverflowCheck;
}
