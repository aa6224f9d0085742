package dev.lemming.memory;

/**
 * Guards of the object memory, the interpreter and the FFI that tests remove on purpose, one at
 * a time, to prove that the matching detector catches the bug (stress/README.md's table). Never
 * a user-facing option. All off by default; each costs a plain (not volatile) field read where it
 * sits, one of them in every activation: tests set them before the VM runs, on its thread.
 */
public final class FaultInjection {
    private FaultInjection() {}

    /** Every Nth barriered store skips the write barrier (0: never). Detector: --verify-heap. */
    public static int skipWriteBarrierEvery;

    /** Compaction passes after the first restore slot 0 of each moved object from the wrong buffer entry. Detector: heap-workout's model. */
    public static boolean staleCompactionPass;

    /** Methods with this selector get a raw, untagged word in their last temporary. Detector: --verify-heap's root check. */
    public static String untaggedTempInMethod;

    /** String concatenate: reads its receiver's address before allocating the result and copies from it after. Detector: --gc-torture. */
    public static boolean staleReferenceAcrossAllocation;

    /** Native calls do not pin their heap arguments. Detector: the FFI's own pinned check when marshalling. */
    public static boolean unpinnedFfiArgument;

    private static int stores;

    /** Whether this barriered store is one to leave unremembered. */
    static boolean skipBarrier() {
        int every = skipWriteBarrierEvery;
        return every > 0 && ++stores % every == 0;
    }

    public static void reset() {
        skipWriteBarrierEvery = 0;
        staleCompactionPass = false;
        untaggedTempInMethod = null;
        staleReferenceAcrossAllocation = false;
        unpinnedFfiArgument = false;
        stores = 0;
    }
}
