package dev.lemming.interpreter.exec;

/**
 * Whether VMs of this process compile to machine code: system properties, so that the launcher's
 * {@code --jit=on|off --jit-threshold=N --jit-stats} and a test run ({@code -Dlemming.jit=on
 * -Dlemming.jit.threshold=1}) reach every VM the same way.
 */
public record JitSettings(boolean enabled, int threshold, boolean stats) {
    public static final String ENABLED = "lemming.jit", THRESHOLD = "lemming.jit.threshold", STATS = "lemming.jit.stats";
    public static final int DEFAULT_THRESHOLD = 2;

    public static JitSettings current() {
        boolean on = "on".equals(System.getProperty(ENABLED, "off"));
        int threshold = Integer.getInteger(THRESHOLD, DEFAULT_THRESHOLD);
        return new JitSettings(on, Math.max(1, threshold), Boolean.getBoolean(STATS));
    }
}
