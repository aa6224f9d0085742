package dev.lemming.interpreter.compiler;

import java.util.List;

/**
 * A compiled method or block before it is installed in the heap. Literals are Java values:
 * Long, BigInteger, Double, String, Ast.Sym, Ast.LitArray, Boolean, Parser.NIL or CompiledCode
 * (an inner block). The first three literals of the installed method (signature, holder, info)
 * are not in {@link #literals}.
 */
public record CompiledCode(String selector, boolean isBlock, boolean isPrimitive, int numArgs, int numTemps,
                           int envSlots, int maxStack, byte[] bytecodes, List<Object> literals, int[] lines,
                           String file, int line) {}
