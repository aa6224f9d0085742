package dev.lemming.interpreter.compiler;

/** A malformed program: names the file, line and column, and shows the offending line. */
public final class SyntaxError extends RuntimeException {
    public final String file;
    public final int line, column;

    public SyntaxError(String file, String source, int line, int column, String message) {
        super(format(file, source, line, column, message));
        this.file = file;
        this.line = line;
        this.column = column;
    }

    private static String format(String file, String source, int line, int column, String message) {
        String[] lines = source.split("\n", -1);
        String text = line >= 1 && line <= lines.length ? lines[line - 1].replace("\t", " ") : "";
        return file + ":" + line + ":" + column + ": " + message + "\n  " + text + "\n  " + " ".repeat(Math.max(0, column - 1)) + "^";
    }
}
