package dev.lemming.launcher;

import dev.lemming.ffi.FfiError;
import dev.lemming.ffi.FfiRuntime;
import dev.lemming.ffi.call.NativeCall;
import dev.lemming.interpreter.VM;
import dev.lemming.interpreter.exec.JitSettings;
import dev.lemming.interpreter.exec.NativeCallbacks;
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
 * Callbacks that native code enters straight into their block's machine code (the JIT's
 * callback entries): each is called as C would call it, inside a native call in progress, once
 * through Java (the block is compiled at that first call) and then again through machine code,
 * and both must answer the same. The entry's run counter tells which way a call went; what
 * machine code cannot do (an argument beyond SmallInteger, a result it does not convert, an
 * exit of the block's machine code, a call on another thread, a call after free) must still give
 * the interpreter's answer.
 */
class MachineCodeCallbacksTest {
    static final String SOURCE = """
            MachineCallbacks = (
                | seen |
                seen = ( ^ seen )
                integers = ( ^ ExternalCallback block: [ :a :b :c :d :e :f | a + b + c + d + e + f ]
                    returns: #int64 arguments: #(#int8 #uint8 #int16 #uint16 #int32 #uint32) )
                wide = ( ^ ExternalCallback block: [ :a :b | seen := b. a ] returns: #int64 arguments: #(#int64 #uint64) )
                pointer = ( ^ ExternalCallback block: [ :p | p int64At: 0 ] returns: #int32 arguments: #(#pointer) )
                pointerOnThread = ( ^ ExternalCallback block: [ :p | p int64At: 0 ] returns: #int32 arguments: #(#pointer) )
                printing = ( ^ ExternalCallback block: [ :x | seen := x asString. x * 2 ] returns: #int32 arguments: #(#int32) )
                narrow = ( ^ ExternalCallback block: [ :x | x ] returns: #int8 arguments: #(#int32) )
                positive = ( ^ ExternalCallback block: [ :x | x > 0 ] returns: #bool arguments: #(#int32) )
                nothing = ( ^ ExternalCallback block: [ :x | seen := x ] returns: #void arguments: #(#uint16) )
            )
            """;

    static Path dir;
    static VM vm;
    static long instance;
    static final Linker C = Linker.nativeLinker();

    @BeforeAll
    static void boot() throws Exception {
        dir = Files.createTempDirectory("lemming-machine-callbacks");
        Files.writeString(dir.resolve("MachineCallbacks.som"), SOURCE);
        vm = JitSettings.during("on", 1, () -> VM.boot(VM.Options.defaults(List.of(dir), System.out, System.err)));
        instance = vm.heap.pin(vm.interpreter.send(vm.universe.symbol("new"), vm.loader.load("MachineCallbacks")));
        assertNotNull(callbacks(), "the JIT of this machine has callback entries");
    }

    @AfterAll
    static void close() throws Exception {
        vm.close();
        Files.delete(dir.resolve("MachineCallbacks.som"));
        Files.delete(dir);
    }

    static NativeCallbacks callbacks() { return vm.interpreter.tier().nativeCallbacks(); }
    static long send(long receiver, String selector) { return vm.interpreter.send(vm.universe.symbol(selector), receiver); }
    static String seen() { return vm.universe.stringValue(send(send(instance, "seen"), "asString")); }

    /** A callback: its function pointer (what C gets) and its ExternalCallback (kept alive by the caller). */
    record Callback(MethodHandle handle, long address) {
        long runs() { return callbacks().machineCodeRuns(address); }
    }

    static Callback callback(String selector, FunctionDescriptor fd) {
        long address = Tags.smallIntegerValue(send(send(instance, selector), "address"));
        return new Callback(C.downcallHandle(MemorySegment.ofAddress(address), fd), address);
    }

    /** Calls {@code body} as native code would, inside a native call in progress; answers the call (what its callbacks parked). */
    static NativeCall inNativeCall(NativeCall.Body body) throws Throwable {
        return NativeCall.during(FfiRuntime.of(vm.interpreter), "a test's downcall", body);
    }

    @Test
    void integersOfEveryWidthConvertInMachineCodeAsInJava() throws Throwable {
        Callback cb = callback("integers", FunctionDescriptor.of(JAVA_LONG, JAVA_BYTE, JAVA_BYTE, JAVA_SHORT, JAVA_SHORT, JAVA_INT, JAVA_INT));
        long expected = -1 + 255 - 1 + 65535 - 1 + 4294967295L;
        long[] sums = new long[3];
        inNativeCall(() -> {
            for (int i = 0; i < 3; i++) sums[i] = (long) cb.handle().invokeExact((byte) -1, (byte) -1, (short) -1, (short) -1, -1, -1);
        }).resumeUnwinding();
        assertArrayEquals(new long[]{expected, expected, expected}, sums);
        assertEquals(2, cb.runs(), "the first call compiles the block in Java, the next two run in machine code");
    }

    @Test
    void wordsBeyondSmallIntegerGoThroughJava() throws Throwable {
        Callback cb = callback("wide", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG));
        long[] r = new long[4];
        String[] seen = new String[4];
        inNativeCall(() -> {
            r[0] = (long) cb.handle().invokeExact(5L, 6L); // compiles
            seen[0] = seen();
            r[1] = (long) cb.handle().invokeExact(Long.MIN_VALUE, 7L); // a LargeInteger argument and result: Java
            seen[1] = seen();
            r[2] = (long) cb.handle().invokeExact(8L, -1L); // 2^64 - 1 as #uint64: Java
            seen[2] = seen();
            r[3] = (long) cb.handle().invokeExact(-9L, 10L); // machine code
            seen[3] = seen();
        }).resumeUnwinding();
        assertArrayEquals(new long[]{5, Long.MIN_VALUE, 8, -9}, r);
        assertArrayEquals(new String[]{"6", "7", "18446744073709551615", "10"}, seen);
        assertEquals(1, cb.runs());
    }

    @Test
    void pointersBecomeExternalAddressesMadeInEden() throws Throwable {
        Callback cb = callback("pointer", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cell = arena.allocate(JAVA_LONG);
            int[] r = new int[1000];
            inNativeCall(() -> {
                for (int i = 0; i < r.length; i++) {
                    cell.set(JAVA_LONG, 0, i * 3L);
                    r[i] = (int) cb.handle().invokeExact(cell);
                }
            }).resumeUnwinding();
            for (int i = 0; i < r.length; i++) assertEquals(i * 3, r[i]);
        }
        assertEquals(999, cb.runs());
    }

    @Test
    void aBlockThatLeavesMachineCodeGoesOnInTheInterpreter() throws Throwable {
        Callback cb = callback("printing", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        int[] r = new int[2];
        String[] seen = new String[2];
        inNativeCall(() -> {
            r[0] = (int) cb.handle().invokeExact(20);
            seen[0] = seen();
            r[1] = (int) cb.handle().invokeExact(21);
            seen[1] = seen();
        }).resumeUnwinding();
        assertArrayEquals(new int[]{40, 42}, r);
        assertArrayEquals(new String[]{"20", "21"}, seen);
        assertEquals(1, cb.runs());
    }

    @Test
    void resultsMachineCodeDoesNotConvertAreConvertedInJava() throws Throwable {
        Callback positive = callback("positive", FunctionDescriptor.of(JAVA_BOOLEAN, JAVA_INT));
        Callback nothing = callback("nothing", FunctionDescriptor.ofVoid(JAVA_SHORT));
        boolean[] r = new boolean[3];
        inNativeCall(() -> {
            r[0] = (boolean) positive.handle().invokeExact(1);
            r[1] = (boolean) positive.handle().invokeExact(-1);
            r[2] = (boolean) positive.handle().invokeExact(2);
            nothing.handle().invokeExact((short) 1);
            nothing.handle().invokeExact((short) -2);
        }).resumeUnwinding();
        assertArrayEquals(new boolean[]{true, false, true}, r);
        assertEquals("65534", seen());
        assertEquals(2, positive.runs());
        assertEquals(1, nothing.runs());
    }

    @Test
    void aResultThatDoesNotFitAnswersZeroAndLaterCallbacksOfTheCallDoNotRun() throws Throwable {
        Callback cb = callback("narrow", FunctionDescriptor.of(JAVA_BYTE, JAVA_INT));
        byte[] r = new byte[4];
        inNativeCall(() -> {
            r[0] = (byte) cb.handle().invokeExact(-128); // compiles
            r[1] = (byte) cb.handle().invokeExact(127);  // machine code
        }).resumeUnwinding();
        NativeCall bad = inNativeCall(() -> {
            r[2] = (byte) cb.handle().invokeExact(300);  // machine code runs the block; Java finds the result does not fit
            r[3] = (byte) cb.handle().invokeExact(5);    // the call is unwinding: answers 0 without running
        });
        assertArrayEquals(new byte[]{-128, 127, 0, 0}, r);
        assertEquals(2, cb.runs());
        assertTrue(bad.isUnwinding());
        var e = assertThrows(RuntimeException.class, bad::resumeUnwinding);
        assertTrue(e.getMessage().contains("does not fit #int8"), e.getMessage());
    }

    @Test
    void aCallOnAnotherThreadNeverRunsMachineCode() throws Throwable {
        Callback cb = callback("pointerOnThread", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        try (Arena arena = Arena.ofShared()) {
            MemorySegment cell = arena.allocate(JAVA_LONG);
            cell.set(JAVA_LONG, 0, 77);
            int[] r = new int[2];
            inNativeCall(() -> {
                r[0] = (int) cb.handle().invokeExact(cell); // compiles
                Thread t = new Thread(() -> {
                    try { r[1] = (int) cb.handle().invokeExact(cell); } catch (Throwable x) { r[1] = -1; }
                });
                t.start();
                t.join();
            }).resumeUnwinding();
            assertArrayEquals(new int[]{77, 0}, r);
            assertEquals(0, cb.runs());
            var e = assertThrows(FfiError.class, FfiRuntime.of(vm.interpreter)::check);
            assertTrue(e.getMessage().contains("not on the VM thread"), e.getMessage());
        }
    }
}
