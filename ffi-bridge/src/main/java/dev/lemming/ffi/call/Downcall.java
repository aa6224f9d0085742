package dev.lemming.ffi.call;

import dev.lemming.ffi.types.CType;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.Arrays;

/**
 * One C function with one signature: its FFM downcall handle, spread to take an Object[] of
 * carriers. A variadic function has one Downcall per list of argument types it was called with.
 */
public final class Downcall {
    public final String name;
    public final CType returns;
    public final CType[] arguments;
    /** The number of fixed arguments of a variadic function; -1 if it is not variadic. */
    public final int fixed;
    /** Whether any argument is a #pointer (heap objects to pin) or a #string (copies to make). */
    public final boolean pointers, strings;
    private final MethodHandle invoker;

    public Downcall(String name, MemorySegment symbol, CType returns, CType[] arguments, int fixed) {
        this.name = name;
        this.returns = returns;
        this.arguments = arguments;
        this.fixed = fixed;
        this.pointers = Arrays.asList(arguments).contains(CType.POINTER);
        this.strings = Arrays.asList(arguments).contains(CType.STRING);
        MemoryLayout[] layouts = Arrays.stream(arguments).map(t -> t.layout).toArray(MemoryLayout[]::new);
        FunctionDescriptor fd = returns == CType.VOID ? FunctionDescriptor.ofVoid(layouts) : FunctionDescriptor.of(returns.layout, layouts);
        Linker.Option[] options = fixed >= 0 && fixed < arguments.length ? new Linker.Option[]{Linker.Option.firstVariadicArg(fixed)} : new Linker.Option[0];
        MethodHandle h = Linker.nativeLinker().downcallHandle(symbol, fd, options);
        this.invoker = h.asSpreader(Object[].class, arguments.length).asType(MethodType.methodType(Object.class, Object[].class));
    }

    /** Calls the function; answers the result's carrier (null for void). */
    public Object invoke(Object[] args) {
        try {
            return (Object) invoker.invokeExact(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
