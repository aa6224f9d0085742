package dev.lemming.interpreter.compiler;

/** One lexical token with its position (1-based line and column). */
public record Token(Kind kind, String text, int line, int column) {
    public enum Kind {
        IDENTIFIER, KEYWORD, KEYWORD_SEQUENCE, OPERATOR, INTEGER, DOUBLE, STRING,
        POUND, LPAREN, RPAREN, LBRACKET, RBRACKET, COLON, PERIOD, CARET, ASSIGN, SEPARATOR, EOF
    }

    public boolean is(Kind k) { return kind == k; }
    public boolean is(Kind k, String t) { return kind == k && text.equals(t); }

    @Override public String toString() { return kind == Kind.EOF ? "end of file" : "'" + text + "'"; }
}
