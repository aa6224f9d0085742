package dev.lemming.ffi;

import dev.lemming.ffi.call.Downcall;
import dev.lemming.ffi.call.NativeCall;
import dev.lemming.interpreter.exec.NativeCallbacks;
import dev.lemming.ffi.callback.Callback;
import dev.lemming.ffi.callback.CallbackSlot;
import dev.lemming.ffi.types.CType;
import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.runtime.ObjectModel;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.roots.RootVisitor;
import dev.lemming.memory.roots.RootProvider;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The FFI's state for one interpreter: the downcall handles and callbacks of this session, the
 * native calls in progress on the VM thread (innermost first), and errors from callbacks that
 * foreign threads made. Callback blocks are GC roots through this object.
 */
public final class FfiRuntime implements RootProvider {
    public final Interpreter in;
    public final Thread vmThread = Thread.currentThread();
    /**
     * Handles stored in heap objects carry this session's number: an image saved with
     * ExternalFunctions in it resumes in a new session, where they are looked up again.
     */
    private final long session = ThreadLocalRandom.current().nextInt(1, 1 << 20);
    private final List<Downcall> downcalls = new ArrayList<>();
    private final Map<String, Integer> downcallIndex = new HashMap<>();
    private final Map<Integer, Callback> callbacks = new HashMap<>();
    private int nextCallback;
    private final Map<String, ArrayDeque<CallbackSlot>> freedSlots = new HashMap<>();
    private final Deque<NativeCall> active = new ArrayDeque<>();
    /**
     * Objects pinned through `pin`, which `unpin` may release. Objects the VM pinned for itself
     * (nil, true, false, symbols, compiled methods: Java and machine code keep their addresses)
     * are not in it, so `nil unpin` or `#foo unpin` cannot make them movable. Pinned objects do
     * not move, so their addresses are stable keys.
     */
    public final java.util.Set<Long> userPins = new java.util.HashSet<>();
    /** Errors of callbacks that had no native call on the VM thread to park them on: reported by the next check. */
    private final ConcurrentLinkedQueue<String> lateErrors = new ConcurrentLinkedQueue<>();
    public final CType.Pointers pointers = new Pointers(this);
    /** The FFI classes' names, for class checks on the call path. */
    public final long symExternalLibrary, symExternalAddress, symExternalCallback;

    private FfiRuntime(Interpreter in) {
        this.in = in;
        symExternalLibrary = in.u.symbol("ExternalLibrary");
        symExternalAddress = in.u.symbol("ExternalAddress");
        symExternalCallback = in.u.symbol("ExternalCallback");
        in.heap.addRootProvider(this);
    }

    public static FfiRuntime of(Interpreter in) { return in.extension(FfiRuntime.class, FfiRuntime::new); }

    // ---------------------------------------------------------------- handles

    public long handleFor(int index) { return Tags.smallInteger(session << 24 | index); }

    /** The table index a handle stands for in this session, or -1 (nil, or from an earlier session). */
    public int indexOf(long handle) {
        if (!Tags.isSmallInteger(handle)) return -1;
        long h = Tags.smallIntegerValue(handle);
        return (h >>> 24) == session ? (int) (h & 0xFF_FFFF) : -1;
    }

    public int addDowncall(String key, Downcall d) {
        downcalls.add(d);
        downcallIndex.put(key, downcalls.size() - 1);
        return downcalls.size() - 1;
    }
    public Integer downcallIndex(String key) { return downcallIndex.get(key); }
    public Downcall downcall(int index) { return downcalls.get(index); }

    public int addCallback(Callback c) { callbacks.put(nextCallback, c); return nextCallback++; }
    public Callback callback(int index) { return callbacks.get(index); }
    public void removeCallback(int index) { callbacks.remove(index); }

    /** Slots of freed callbacks, oldest first, per signature (see CallbackSlot's quarantine). */
    public ArrayDeque<CallbackSlot> freedSlots(String signature) { return freedSlots.computeIfAbsent(signature, k -> new ArrayDeque<>()); }

    // ---------------------------------------------------------------- native calls in progress

    public void enter(NativeCall call) {
        active.push(call);
        NativeCallbacks nc = nativeCallbacks();
        if (nc != null) nc.nativeCallStarted(in.currentFrame(), in.currentSp());
    }
    public void leave(NativeCall call) {
        if (active.pop() != call) throw new IllegalStateException("native calls left out of order");
        NativeCallbacks nc = nativeCallbacks();
        if (nc != null) nc.nativeCallEnded();
    }

    /** A callback of the innermost native call unwinds: parked there, and later callbacks of the call answer zero. */
    public void park(NativeCall call, Throwable unwinding) {
        call.park(unwinding);
        NativeCallbacks nc = nativeCallbacks();
        if (nc != null) nc.unwinding();
    }

    /** The tier's callbacks that run in machine code, or null (no JIT, or one without them). */
    public NativeCallbacks nativeCallbacks() { return in.tier() == null ? null : in.tier().nativeCallbacks(); }

    /** Every callback slot made in this session, by id (the callback entries of machine code name them so). */
    private final List<CallbackSlot> slots = new ArrayList<>();
    public int addSlot(CallbackSlot s) { slots.add(s); return slots.size() - 1; }
    public CallbackSlot slot(int id) { return slots.get(id); }

    /** Where machine code's callback entries go on in Java (CallbackEntry.resume), made at the first entry. */
    private java.lang.foreign.MemorySegment resumeUpcall;
    public long resumeUpcall() {
        if (resumeUpcall == null) resumeUpcall = dev.lemming.ffi.callback.CallbackEntry.resumeUpcall(this);
        return resumeUpcall.address();
    }
    /** The innermost native call in progress on the VM thread, or null. */
    public NativeCall current() { return active.peek(); }

    /** Any thread may report: a callback on a foreign thread, or one called outside every native call. */
    public void reportLate(String what) { lateErrors.add(what); }

    /** Raises, as an FFIError, what was reported late since the last check (at every FFI call, before and after). */
    public void check() {
        String e = lateErrors.poll();
        if (e != null) {
            int more = lateErrors.size();
            lateErrors.clear();
            throw new FfiError(e + (more > 0 ? " (and " + more + " more)" : ""));
        }
    }

    // ---------------------------------------------------------------- heap objects

    /** The class called {@code name}, loading it from the core library if needed. */
    public long classNamed(String name) {
        long cls = in.u.global(in.u.symbol(name));
        if (cls == 0 || cls == in.u.nil) cls = in.loader.load(name);
        if (cls == 0) throw new FfiError("the FFI class " + name + " is missing from the class path");
        return cls;
    }

    /** A new instance of a class of named fields (its fields nil). */
    public long instantiate(long cls) {
        long spec = Tags.smallIntegerValue(in.heap.fetch(cls, ObjectModel.CLASS_SPEC));
        return in.heap.allocatePointers(in.u.instanceIndex(cls), Format.FIXED_POINTERS, ObjectModel.specFixedFields(spec));
    }

    /** Is {@code v} an instance of the class whose name is the symbol {@code className}? (Symbols are unique: no text compared.) */
    public boolean isInstanceOf(long v, long className) {
        if (!Tags.isPointer(v) || v == in.u.nil) return false;
        return in.heap.fetch(in.u.classOf(v), ObjectModel.CLASS_NAME) == className;
    }

    @Override
    public void visitRoots(RootVisitor v) {
        NativeCallbacks nc = nativeCallbacks();
        for (Callback c : callbacks.values()) {
            if (c.block == 0) continue;
            c.block = v.visit(c.block);
            if (nc != null && c.slotEntry() != 0) nc.moved(c.slotEntry(), c.block);
        }
    }

    /** An ExternalAddress's address field. */
    public static final int ADDRESS = 0, ADDRESS_SIZE = 1;

    /** ExternalAddress's instance index and field count, looked up once: every pointer a callback receives becomes one. */
    private int addressIndex = -1, addressFields;

    /** ExternalAddress's instance index (machine code makes them too). */
    public int addressClassIndex() { addressLayout(); return addressIndex; }
    public int addressFields() { addressLayout(); return addressFields; }

    private void addressLayout() {
        if (addressIndex < 0) {
            long cls = classNamed("ExternalAddress");
            addressIndex = in.u.instanceIndex(cls);
            addressFields = (int) ObjectModel.specFixedFields(Tags.smallIntegerValue(in.heap.fetch(cls, ObjectModel.CLASS_SPEC)));
        }
    }

    public long newAddress(long address, long size) {
        addressLayout();
        if (Tags.fitsSmallInteger(address) && Tags.fitsSmallInteger(size)) {
            // the common case (every pointer a callback receives): both fields immediates, so no handle is needed
            // and no barrier (a new object holding no references)
            long a = in.heap.allocatePointers(addressIndex, Format.FIXED_POINTERS, addressFields);
            Layout.storeRaw(a, ADDRESS, Tags.smallInteger(address));
            if (size >= 0) Layout.storeRaw(a, ADDRESS_SIZE, Tags.smallInteger(size));
            return a;
        }
        try (var s = in.heap.scope()) {
            var a = in.heap.handle(in.heap.allocatePointers(addressIndex, Format.FIXED_POINTERS, addressFields));
            in.heap.store(a, ADDRESS, in.u.integer(address));
            in.heap.store(a, ADDRESS_SIZE, size < 0 ? in.u.nil : in.u.integer(size));
            return a.get();
        }
    }

    /** An integer field (an ExternalAddress's address or size) as a long; nil is -1. */
    public static long integerField(Interpreter in, long o, int field) {
        long v = Layout.fetch(o, field);
        if (v == in.u.nil) return -1;
        if (Tags.isSmallInteger(v)) return Tags.smallIntegerValue(v);
        if (!in.u.isInteger(v)) throw new FfiError("this " + in.describeValue(o) + " holds " + in.describeValue(v) + ", not an integer");
        return in.u.bigInteger(v).longValue();
    }
}
