package dev.lemming.interpreter.runtime;

import dev.lemming.memory.Heap;
import dev.lemming.memory.RawMemory;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.roots.Handle;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static dev.lemming.interpreter.runtime.ObjectModel.*;

/**
 * The interpreter's view of the heap: symbols, globals, the well-known objects, and the
 * conversions between Java values and heap objects. Symbols are pinned in old space so their
 * addresses can key Java-side caches; the Java maps here are caches rebuilt from the heap's
 * symbol and global arrays after an image is loaded.
 */
public final class Universe {
    public final Heap heap;
    private final Map<String, Long> symbols = new HashMap<>();
    private int symbolCount;
    private final Map<Long, Integer> globalIndex = new HashMap<>();
    private int globalCount;

    public long nil, trueObject, falseObject, system;
    /** File and line of every bytecode of every installed method, keyed by method address (methods are pinned). */
    final Map<Long, MethodInstaller.SourceInfo> sourceInfo = new HashMap<>();

    /** Where {@code method}'s bytecodes came from, or null (a started image's are decoded at the first question). */
    public MethodInstaller.SourceInfo sourceInfoOf(long method) {
        SourceMaps.restore(this);
        return sourceInfo.get(method);
    }

    public Universe(Heap heap) {
        this.heap = heap;
        heap.reserveClassIndicesBelow(FIRST_LOADED);
    }

    /** A fresh heap: true, false, system, and empty symbol and global tables. */
    public void bootstrapObjects() {
        nil = heap.nil();
        trueObject = heap.allocatePinnedOld(TRUE, Format.FIXED_POINTERS, 0);
        falseObject = heap.allocatePinnedOld(FALSE, Format.FIXED_POINTERS, 0);
        system = heap.allocatePinnedOld(SYSTEM, Format.FIXED_POINTERS, 0);
        heap.setSpecialObject(SPECIAL_TRUE, trueObject);
        heap.setSpecialObject(SPECIAL_FALSE, falseObject);
        heap.setSpecialObject(SPECIAL_SYSTEM, system);
        heap.setSpecialObject(SPECIAL_SYMBOLS, heap.allocatePointers(ARRAY, Format.INDEXABLE_POINTERS, 1024));
        heap.setSpecialObject(SPECIAL_GLOBALS, heap.allocatePointers(ARRAY, Format.INDEXABLE_POINTERS, 512));
    }

    /** After an image load: re-read the well-known objects and rebuild the symbol and global maps. */
    public void rebuildCaches() {
        nil = heap.nil();
        trueObject = heap.specialObject(SPECIAL_TRUE);
        falseObject = heap.specialObject(SPECIAL_FALSE);
        system = heap.specialObject(SPECIAL_SYSTEM);
        symbols.clear();
        long table = heap.specialObject(SPECIAL_SYMBOLS);
        symbolCount = 0;
        for (long i = 0, n = heap.numSlots(table); i < n; i++) {
            long s = heap.fetch(table, i);
            if (s == nil) break;
            symbols.put(stringValue(s), s);
            symbolCount++;
        }
        globalIndex.clear();
        long g = heap.specialObject(SPECIAL_GLOBALS);
        globalCount = 0;
        for (long i = 0, n = heap.numSlots(g) / 2; i < n; i++) {
            long key = heap.fetch(g, 2 * i);
            if (key == nil) break;
            globalIndex.put(key, (int) i);
            globalCount++;
        }
    }

    // ---------------------------------------------------------------- symbols

    /** The unique Symbol for {@code name} (pinned: its address never changes). */
    public long symbol(String name) {
        Long s = symbols.get(name);
        if (s != null) return s;
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        long words = (bytes.length + 7) / 8;
        long sym = heap.allocatePinnedOld(SYMBOL, Format.BYTES + (int) (words * 8 - bytes.length), words);
        MemorySegment.copy(bytes, 0, RawMemory.ALL, ValueLayout.JAVA_BYTE, Layout.firstByteAddress(sym), bytes.length);
        long table = heap.specialObject(SPECIAL_SYMBOLS);
        if (symbolCount == heap.numSlots(table)) {
            try (var scope = heap.scope()) {
                heap.handle(sym); // unreachable until stored: keep it alive while the table grows
                table = grow(SPECIAL_SYMBOLS, table);
            }
        }
        heap.store(table, symbolCount++, sym);
        symbols.put(name, sym);
        return sym;
    }

    private long grow(int special, long table) {
        long n = heap.numSlots(table);
        try (var s = heap.scope()) {
            Handle old = heap.handle(table);
            long bigger = heap.allocatePointers(ARRAY, Format.INDEXABLE_POINTERS, n * 2);
            for (long i = 0; i < n; i++) heap.store(bigger, i, heap.fetch(old.get(), i));
            heap.setSpecialObject(special, bigger);
            return bigger;
        }
    }

    // ---------------------------------------------------------------- globals

    public boolean hasGlobal(long symbol) { return globalIndex.containsKey(symbol); }

    /** The global's slot number (stable for the VM's life: globals are never removed), or -1. */
    public int globalSlot(long symbol) {
        Integer i = globalIndex.get(symbol);
        return i == null ? -1 : i;
    }

    public long globalAt(int slot) { return heap.fetch(heap.specialObject(SPECIAL_GLOBALS), 2L * slot + 1); }

    /** The global's value, or 0 (no such global). */
    public long global(long symbol) {
        Integer i = globalIndex.get(symbol);
        return i == null ? 0 : heap.fetch(heap.specialObject(SPECIAL_GLOBALS), 2L * i + 1);
    }

    public void setGlobal(long symbol, long value) {
        Integer i = globalIndex.get(symbol);
        if (i == null) {
            try (var s = heap.scope()) {
                Handle v = heap.handle(value);
                long g = heap.specialObject(SPECIAL_GLOBALS);
                if (2L * globalCount + 1 >= heap.numSlots(g)) g = grow(SPECIAL_GLOBALS, g);
                i = globalCount++;
                heap.store(g, 2L * i, symbol);
                globalIndex.put(symbol, i);
                value = v.get();
            }
        }
        heap.store(heap.specialObject(SPECIAL_GLOBALS), 2L * i + 1, value);
    }

    // ---------------------------------------------------------------- Java values <-> heap objects

    public long bool(boolean b) { return b ? trueObject : falseObject; }

    public long newString(String s) { return newBytes(STRING, s.getBytes(StandardCharsets.UTF_8)); }

    public long newBytes(int classIndex, byte[] bytes) {
        long o = heap.allocateBytes(classIndex, bytes.length);
        MemorySegment.copy(bytes, 0, RawMemory.ALL, ValueLayout.JAVA_BYTE, Layout.firstByteAddress(o), bytes.length);
        return o;
    }

    public byte[] bytes(long o) {
        long n = Layout.byteSize(o);
        byte[] b = new byte[(int) n];
        MemorySegment.copy(RawMemory.ALL, ValueLayout.JAVA_BYTE, Layout.firstByteAddress(o), b, 0, (int) n);
        return b;
    }

    /** The text of a String or Symbol. */
    public String stringValue(long o) { return new String(bytes(o), StandardCharsets.UTF_8); }

    public boolean isString(long o) {
        int c = heap.classIndexOf(o);
        return c == STRING || c == SYMBOL || (Tags.isPointer(o) && Format.isBytes(dev.lemming.memory.object.Header.format(Layout.header(o)))
                && isKindOf(o, STRING));
    }

    public long newArray(long size) { return heap.allocatePointers(ARRAY, Format.INDEXABLE_POINTERS, size); }

    /** A new Array with the elements of {@code array}. */
    public long copyArray(long array) {
        long n = heap.numSlots(array);
        try (var s = heap.scope()) {
            Handle original = heap.handle(array);
            long copy = newArray(n);
            for (long i = 0; i < n; i++) heap.store(copy, i, heap.fetch(original.get(), i));
            return copy;
        }
    }

    /** An integer: a SmallInteger when it fits, else a large integer object. */
    public long integer(long v) {
        return Tags.fitsSmallInteger(v) ? Tags.smallInteger(v) : largeInteger(BigInteger.valueOf(v));
    }

    public long integer(BigInteger v) {
        if (v.bitLength() < 61) return Tags.smallInteger(v.longValue());
        return largeInteger(v);
    }

    private long largeInteger(BigInteger v) { return newBytes(LARGE_INTEGER, v.toByteArray()); }

    public boolean isInteger(long o) { return Tags.isSmallInteger(o) || heap.classIndexOf(o) == LARGE_INTEGER; }

    public BigInteger bigInteger(long o) {
        return Tags.isSmallInteger(o) ? BigInteger.valueOf(Tags.smallIntegerValue(o)) : new BigInteger(bytes(o));
    }

    public long newDouble(double d) {
        if (Tags.fitsSmallFloat(d)) return Tags.smallFloat(d);
        long o = heap.allocateWords(BOXED_DOUBLE, 1);
        RawMemory.putDouble(Layout.slotAddress(o, 0), d);
        return o;
    }

    public boolean isDouble(long o) { return Tags.isSmallFloat(o) || heap.classIndexOf(o) == BOXED_DOUBLE; }

    public double doubleValue(long o) {
        return Tags.isSmallFloat(o) ? Tags.smallFloatValue(o) : RawMemory.getDouble(Layout.slotAddress(o, 0));
    }

    // ---------------------------------------------------------------- classes

    public long classOf(long o) { return heap.classAt(heap.classIndexOf(o)); }

    public long classAt(int index) { return heap.classAt(index); }

    /** The class-table index of instances of {@code cls} (its identity hash, as in Spur). */
    public int instanceIndex(long cls) { return dev.lemming.memory.object.Header.hash(Layout.header(cls)); }

    public long superclass(long cls) { return heap.fetch(cls, CLASS_SUPERCLASS); }

    public String className(long cls) {
        long name = heap.fetch(cls, CLASS_NAME);
        return name == nil ? "?" : stringValue(name);
    }

    public boolean isKindOf(long o, int classIndex) {
        long target = heap.classAt(classIndex);
        for (long c = classOf(o); c != nil; c = superclass(c)) if (c == target) return true;
        return false;
    }

    public boolean isClass(long o) {
        if (!Tags.isPointer(o)) return false;
        long c = classOf(o);
        return c != nil && heap.classIndexOf(c) == METACLASS || heap.classIndexOf(o) == METACLASS;
    }
}
