package dev.lemming.ffi.callback;

import dev.lemming.ffi.FfiRuntime;
import dev.lemming.ffi.call.NativeCall;
import dev.lemming.interpreter.VM;
import dev.lemming.memory.object.Tags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static java.lang.foreign.ValueLayout.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every C type crossing a callback both ways, through a real upcall: Java calls the callback's
 * function pointer with a downcall declared with the true C types (as native code would), inside
 * a native call in progress, and the block sees (and answers) the values C meant.
 */
class CallbackTypesTest {
    static final String SOURCE = """
            CallbackTypes = (
                | seen |
                seen = ( | s | s := ''. seen do: [ :v | s := s + (v class == String ifTrue: [ '<' + v + '>' ] ifFalse: [ v asString ]) + ' ' ]. ^ s )
                integers = ( ^ ExternalCallback
                    block: [ :a :b :c :d :e :f :g :h | seen := Array new: 8.
                        seen at: 1 put: a. seen at: 2 put: b. seen at: 3 put: c. seen at: 4 put: d.
                        seen at: 5 put: e. seen at: 6 put: f. seen at: 7 put: g. seen at: 8 put: h.
                        a + b + c + d + e + f ]
                    returns: #int64 arguments: #(#int8 #uint8 #int16 #uint16 #int32 #uint32 #int64 #uint64) )
                floats = ( ^ ExternalCallback block: [ :x :y :n | x * 2.0 + y + n ] returns: #double arguments: #(#double #float #int32) )
                floatResult = ( ^ ExternalCallback block: [ :x | x + 1 ] returns: #float arguments: #(#float) )
                bools = ( ^ ExternalCallback block: [ :b :i | b not or: [ i > 2 ] ] returns: #bool arguments: #(#bool #int32) )
                pointers = ( ^ ExternalCallback block: [ :p | p + 8 ] returns: #pointer arguments: #(#pointer) )
                strings = ( ^ ExternalCallback block: [ :s :t | seen := Array with: s with: t. s length ] returns: #size_t arguments: #(#string #string) )
                unsigned = ( ^ ExternalCallback block: [ 4294967295 ] returns: #uint32 arguments: #() )
                narrowResult = ( ^ ExternalCallback block: [ :x | x ] returns: #int8 arguments: #(#int32) )
                nothing = ( ^ ExternalCallback block: [ :x | seen := Array with: x ] returns: #void arguments: #(#uint16) )
            )
            """;

    static Path dir;
    static VM vm;
    static long instance;
    static final Linker C = Linker.nativeLinker();

    @BeforeAll
    static void boot() throws Exception {
        dir = Files.createTempDirectory("lemming-callback-types");
        Files.writeString(dir.resolve("CallbackTypes.som"), SOURCE);
        vm = VM.boot(VM.Options.defaults(List.of(dir), System.out, System.err));
        instance = vm.heap.pin(vm.interpreter.send(vm.universe.symbol("new"), vm.loader.load("CallbackTypes")));
    }

    @AfterAll
    static void close() throws Exception {
        vm.close();
        Files.delete(dir.resolve("CallbackTypes.som"));
        Files.delete(dir);
    }

    static long send(long receiver, String selector) { return vm.interpreter.send(vm.universe.symbol(selector), receiver); }

    /** The function pointer of the callback {@code selector} answers, as a downcall of the given C signature. */
    static MethodHandle callback(String selector, FunctionDescriptor fd) {
        long address = Tags.smallIntegerValue(send(send(instance, selector), "address"));
        return C.downcallHandle(MemorySegment.ofAddress(address), fd);
    }

    static String seen() { return vm.universe.stringValue(send(instance, "seen")); }

    /** Calls {@code body} as native code would, inside a native call in progress; then resumes what its callbacks parked, as the call primitive does. */
    static void inNativeCall(NativeCall.Body body) throws Throwable {
        inNativeCallParking(body).resumeUnwinding();
    }

    /** As {@link #inNativeCall}, answering the call with what its callbacks parked. */
    static NativeCall inNativeCallParking(NativeCall.Body body) throws Throwable {
        return NativeCall.during(FfiRuntime.of(vm.interpreter), "a test's downcall", body);
    }

    @Test
    void integersArriveAsTheirCTypeAndTheSumReturns() throws Throwable {
        MethodHandle h = callback("integers", FunctionDescriptor.of(JAVA_LONG, JAVA_BYTE, JAVA_BYTE, JAVA_SHORT, JAVA_SHORT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
        inNativeCall(() -> {
            long sum = (long) h.invokeExact((byte) -1, (byte) -1, (short) -1, (short) -1, -1, -1, -1L, -1L);
            assertEquals(-1 + 255 - 1 + 65535 - 1 + 4294967295L, sum);
        });
        assertEquals("-1 255 -1 65535 -1 4294967295 -1 18446744073709551615 ", seen());
    }

    @Test
    void floatsAndDoublesCrossAsValues() throws Throwable {
        MethodHandle h = callback("floats", FunctionDescriptor.of(JAVA_DOUBLE, JAVA_DOUBLE, JAVA_FLOAT, JAVA_INT));
        MethodHandle f = callback("floatResult", FunctionDescriptor.of(JAVA_FLOAT, JAVA_FLOAT));
        double[] results = new double[2];
        inNativeCall(() -> {
            results[0] = (double) h.invokeExact(1.5, 0.25f, 7);
            results[1] = (float) f.invokeExact(2.5f);
        });
        assertEquals(1.5 * 2.0 + 0.25 + 7, results[0]);
        assertEquals(3.5, results[1]);
    }

    @Test
    void boolsBothWays() throws Throwable {
        MethodHandle h = callback("bools", FunctionDescriptor.of(JAVA_BOOLEAN, JAVA_BOOLEAN, JAVA_INT));
        inNativeCall(() -> {
            assertTrue((boolean) h.invokeExact(false, 0));
            assertFalse((boolean) h.invokeExact(true, 0));
            assertTrue((boolean) h.invokeExact(true, 3));
        });
    }

    @Test
    void pointersAndStrings() throws Throwable {
        MethodHandle p = callback("pointers", FunctionDescriptor.of(ADDRESS, ADDRESS));
        MethodHandle s = callback("strings", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocateFrom("héllo");
            inNativeCall(() -> {
                assertEquals(0x1000 + 8, ((MemorySegment) p.invokeExact(MemorySegment.ofAddress(0x1000))).address());
                assertEquals(6, (long) s.invokeExact(text, MemorySegment.NULL)); // UTF-8 bytes
            });
        }
        assertEquals("<héllo> nil ", seen());
    }

    @Test
    void unsignedResultsKeepTheirBitsAndVoidAnswersNothing() throws Throwable {
        MethodHandle u = callback("unsigned", FunctionDescriptor.of(JAVA_INT));
        MethodHandle v = callback("nothing", FunctionDescriptor.ofVoid(JAVA_SHORT));
        inNativeCall(() -> {
            assertEquals(-1, (int) u.invokeExact());
            v.invokeExact((short) -2);
        });
        assertEquals("65534 ", seen());
    }

    @Test
    void aResultThatDoesNotFitAnswersZeroAndUnwindsWhenTheCallReturns() throws Throwable {
        MethodHandle h = callback("narrowResult", FunctionDescriptor.of(JAVA_BYTE, JAVA_INT));
        inNativeCall(() -> assertEquals((byte) -128, (byte) h.invokeExact(-128)));
        NativeCall bad = inNativeCallParking(() -> {
            assertEquals((byte) 0, (byte) h.invokeExact(300));
            assertEquals((byte) 0, (byte) h.invokeExact(5)); // later callbacks of an unwinding call do not run
        });
        assertTrue(bad.isUnwinding());
        var e = assertThrows(RuntimeException.class, bad::resumeUnwinding);
        assertTrue(e.getMessage().contains("does not fit #int8"), e.getMessage());
    }
}
