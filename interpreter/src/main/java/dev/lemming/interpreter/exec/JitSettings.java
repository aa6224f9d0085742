package dev.lemming.interpreter.exec;

/**
 * Whether VMs of this process compile to machine code (by default yes, when the build includes
 * the JIT for this machine; the interpreter module alone runs interpreted): system properties, so that the launcher's
 * {@code --jit=on|off --jit-threshold=N --jit-stats} and a test run ({@code -Dlemming.jit=on
 * -Dlemming.jit.threshold=1}) reach every VM the same way.
 */
public record JitSettings(Mode mode, int threshold, boolean stats) {
    public static final String ENABLED = "lemming.jit", THRESHOLD = "lemming.jit.threshold", STATS = "lemming.jit.stats";
    public static final int DEFAULT_THRESHOLD = 2;

    /** ON: the JIT is required (an error without one); AUTO (the default): used when the build has one; OFF. */
    public enum Mode { ON, AUTO, OFF }

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
