package dev.lemming.interpreter.exec;

/**
 * Whether VMs of this process compile to machine code (by default yes, when the build includes
 * the JIT for this machine; the interpreter module alone runs interpreted): system properties, so that the launcher's
 * {@code --jit=on|off --jit-threshold=N --jit-stats} and a test run ({@code -Dlemming.jit=on
 * -Dlemming.jit.threshold=1}) reach every VM the same way.
 */
public record JitSettings(Mode mode, int threshold, boolean stats) {
    public static final String ENABLED = "lemming.jit", THRESHOLD = "lemming.jit.threshold", STATS = "lemming.jit.stats";
    /**
     * Activations (or back jumps) before a method is compiled. Its sends are specialized to what
     * the interpreter's caches saw by then, and a send not yet performed stays generic: at 2,
     * sends that first run later (Towers' disk sizes, once a pile has one) stayed cell probes.
     * AWFY, min of 2 runs' last 5 of 12 iterations against 2 (tenth session): 30 -> 0.954 of
     * the time on the geometric mean of 13, 100 -> 0.949, 300 -> 0.952 (Richards 0.85, Havlak
     * 0.87, CD 0.91, Towers 0.92 at 100; none slower than 1.015).
     */
    public static final int DEFAULT_THRESHOLD = 100;

    /** ON: the JIT is required (an error without one); AUTO (the default): used when the build has one; OFF. */
    public enum Mode { ON, AUTO, OFF }

    /** Work done while the JIT properties hold other values. */
    @FunctionalInterface
    public interface Body<T, E extends Exception> { T run() throws E; }

    /**
     * Runs {@code body} with this process's JIT properties set to {@code mode} ("on", "off") and
     * {@code threshold}, then puts back what they were: how a driver boots VMs of one tier.
     */
    public static <T, E extends Exception> T during(String mode, int threshold, Body<T, E> body) throws E {
        String mode0 = System.getProperty(ENABLED), threshold0 = System.getProperty(THRESHOLD);
        System.setProperty(ENABLED, mode);
        System.setProperty(THRESHOLD, Integer.toString(threshold));
        try {
            return body.run();
        } finally {
            restore(ENABLED, mode0);
            restore(THRESHOLD, threshold0);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    public static JitSettings current() {
        Mode mode = switch (System.getProperty(ENABLED, "auto")) {
            case "on" -> Mode.ON;
            case "off" -> Mode.OFF;
            default -> Mode.AUTO;
        };
        int threshold = Integer.getInteger(THRESHOLD, DEFAULT_THRESHOLD);
        return new JitSettings(mode, Math.max(1, threshold), Boolean.getBoolean(STATS));
    }
}
