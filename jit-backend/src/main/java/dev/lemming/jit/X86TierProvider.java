package dev.lemming.jit;

import dev.lemming.interpreter.exec.ExecutionTier;
import dev.lemming.interpreter.exec.ExecutionTierProvider;
import dev.lemming.interpreter.exec.Interpreter;

public final class X86TierProvider implements ExecutionTierProvider {
    @Override public String architecture() { return "x86-64"; }
    @Override public ExecutionTier create(Interpreter interpreter) { return new X86Tier(interpreter); }
}
