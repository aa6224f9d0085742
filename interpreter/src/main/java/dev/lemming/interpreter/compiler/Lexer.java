package dev.lemming.interpreter.compiler;

import java.util.ArrayList;
import java.util.List;

import static dev.lemming.interpreter.compiler.Token.Kind.*;

/** Splits SOM source into tokens (the lexer rules of SOM.g4). */
public final class Lexer {
    private static final String OPERATOR_CHARS = "~&|*/\\+=><,@%-";

    private final String file, src;
    private int pos, line = 1, lineStart;
    private final List<Token> out = new ArrayList<>();

    private Lexer(String file, String src) { this.file = file; this.src = src; }

    public static List<Token> tokenize(String file, String source) {
        Lexer l = new Lexer(file, source);
        l.run();
        return l.out;
    }

    private SyntaxError error(String msg) { return new SyntaxError(file, src, line, pos - lineStart + 1, msg); }

    private char peek(int k) { return pos + k < src.length() ? src.charAt(pos + k) : 0; }

    private void add(Token.Kind kind, int start, int startLine, int startCol) {
        out.add(new Token(kind, src.substring(start, pos), startLine, startCol));
    }

    private void run() {
        while (true) {
            skipBlanksAndComments();
            int start = pos, l = line, c = pos - lineStart + 1;
            if (pos >= src.length()) { out.add(new Token(EOF, "", l, c)); return; }
            char ch = src.charAt(pos);
            boolean afterPound = !out.isEmpty() && out.get(out.size() - 1).is(POUND);
            if (Character.isLetter(ch)) {
                while (Character.isLetterOrDigit(peek(0)) || peek(0) == '_') pos++;
                if (peek(0) == ':' && peek(1) != '=') {
                    pos++;
                    if (afterPound) { // #at:put: is one symbol
                        int save = pos;
                        while (Character.isLetter(peek(0))) {
                            int p = pos;
                            while (Character.isLetterOrDigit(peek(0)) || peek(0) == '_') pos++;
                            if (peek(0) == ':') { pos++; save = pos; } else { pos = p; break; }
                        }
                        pos = save;
                        add(src.substring(start, pos).indexOf(':') == pos - start - 1 ? KEYWORD : KEYWORD_SEQUENCE, start, l, c);
                    } else {
                        add(KEYWORD, start, l, c);
                    }
                } else {
                    add(IDENTIFIER, start, l, c);
                }
            } else if (Character.isDigit(ch)) {
                while (Character.isDigit(peek(0))) pos++;
                if (peek(0) == '.' && Character.isDigit(peek(1))) {
                    pos++;
                    while (Character.isDigit(peek(0))) pos++;
                    if ((peek(0) == 'e' || peek(0) == 'E') && (Character.isDigit(peek(1)) || (peek(1) == '-' && Character.isDigit(peek(2))))) {
                        pos += 2;
                        while (Character.isDigit(peek(0))) pos++;
                    }
                    add(DOUBLE, start, l, c);
                } else {
                    add(INTEGER, start, l, c);
                }
            } else if (ch == '\'') {
                out.add(new Token(STRING, readString(), l, c));
            } else if (ch == ':' && peek(1) == '=') {
                pos += 2; add(ASSIGN, start, l, c);
            } else if (ch == '-' && peek(1) == '-' && peek(2) == '-' && peek(3) == '-') {
                while (peek(0) == '-') pos++;
                add(SEPARATOR, start, l, c);
            } else if (OPERATOR_CHARS.indexOf(ch) >= 0) {
                while (pos < src.length() && OPERATOR_CHARS.indexOf(src.charAt(pos)) >= 0) {
                    // a minus after an operator starts a negative literal: 3--4 is 3 - -4
                    if (src.charAt(pos) == '-' && pos > start && Character.isDigit(peek(1))) break;
                    pos++;
                }
                add(OPERATOR, start, l, c);
            } else {
                pos++;
                Token.Kind k = switch (ch) {
                    case '#' -> POUND;
                    case '(' -> LPAREN;
                    case ')' -> RPAREN;
                    case '[' -> LBRACKET;
                    case ']' -> RBRACKET;
                    case ':' -> COLON;
                    case '.' -> PERIOD;
                    case '^' -> CARET;
                    default -> { pos--; throw error("unexpected character '" + ch + "'"); }
                };
                add(k, start, l, c);
            }
        }
    }

    private void skipBlanksAndComments() {
        while (pos < src.length()) {
            char ch = src.charAt(pos);
            if (ch == '\n') { pos++; line++; lineStart = pos; }
            else if (Character.isWhitespace(ch)) pos++;
            else if (ch == '"') {
                int l = line, c = pos - lineStart + 1;
                pos++;
                while (pos < src.length() && src.charAt(pos) != '"') {
                    if (src.charAt(pos) == '\n') { line++; lineStart = pos + 1; }
                    pos++;
                }
                if (pos >= src.length()) throw new SyntaxError(file, src, l, c, "comment is not closed (missing \")");
                pos++;
            } else return;
        }
    }

    private String readString() {
        int l = line, c = pos - lineStart + 1;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length()) throw new SyntaxError(file, src, l, c, "string is not closed (missing ')");
            char ch = src.charAt(pos++);
            if (ch == '\'') return sb.toString();
            if (ch == '\n') { line++; lineStart = pos; }
            if (ch == '\\' && pos < src.length()) {
                char e = src.charAt(pos++);
                switch (e) {
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 'f' -> sb.append('\f');
                    case '0' -> sb.append('\0');
                    case '\'' -> sb.append('\'');
                    case '\\' -> sb.append('\\');
                    default -> { pos -= 2; throw error("unknown escape \\" + e + " in a string (known: \\t \\b \\n \\r \\f \\0 \\' \\\\)"); }
                }
            } else {
                sb.append(ch);
            }
        }
    }
}
