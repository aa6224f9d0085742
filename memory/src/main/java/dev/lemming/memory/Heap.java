package dev.lemming.memory;

import dev.lemming.memory.gc.Compactor;
import dev.lemming.memory.gc.FfiCanaries;
import dev.lemming.memory.gc.GcKind;
import dev.lemming.memory.gc.GcStats;
import dev.lemming.memory.gc.HeapVerifier;
import dev.lemming.memory.gc.LemmingRehearsal;
import dev.lemming.memory.gc.Marker;
import dev.lemming.memory.gc.RememberedSet;
import dev.lemming.memory.gc.Scavenger;
import dev.lemming.memory.object.ClassIndex;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Header;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.roots.Handle;
import dev.lemming.memory.roots.HandleScope;
import dev.lemming.memory.roots.Handles;
import dev.lemming.memory.roots.RootProvider;
import dev.lemming.memory.roots.RootVisitor;
import dev.lemming.memory.space.OldSpace;
import dev.lemming.memory.space.Segment;
import dev.lemming.memory.space.YoungSpace;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One object memory: new space, old space, the roots, and the collectors that move objects
 * (the {@link Scavenger} for new space, the {@link Compactor} for old space). Everything a
 * program can reach lives in its mappings; what this class holds in Java fields are roots
 * ({@link #specialObjects}) and caches.
 *
 * <p>Single-threaded: one heap belongs to one VM thread. Two heaps in one JVM share nothing.
 */
public final class Heap implements AutoCloseable {
    /** Slots of the special-objects array that the memory itself uses; the interpreter owns the rest. */
    public static final int SPECIAL_NIL = 0, SPECIAL_CLASS_TABLE = 1, SPECIAL_OBJECTS_SIZE = 64;
    private static final int INITIAL_CLASS_TABLE = 1024;

    public final HeapConfig config;
    public final YoungSpace young;
    public final OldSpace old;
    public final RememberedSet remembered = new RememberedSet();
    public final GcStats stats = new GcStats();
    private final Handles handles = new Handles();
    private final List<RootProvider> rootProviders = new ArrayList<>();
    /** Pinned objects, to check that none moved (and to give a pinned object's address back). */
    private final Set<Long> pinned = new LinkedHashSet<>();
    private final Scavenger scavenger;
    private final Compactor compactor;
    private final FfiCanaries ffiCanaries = new FfiCanaries(this);
    private long specialObjects;
    private long nil;
    /** Roots that only a clone or a replayed dump has: the original's root values. */
    private long[] extraRoots = new long[0];
    private long hashState = 0x9E3779B97F4A7C15L;
    private boolean collecting;
    private long allocationCount;
    private final long largeObjectBytes;

    private Heap(HeapConfig config, YoungSpace young, OldSpace old) {
        this.config = config;
        this.young = young;
        this.old = old;
        this.scavenger = new Scavenger(this);
        this.compactor = new Compactor(this);
        // born old: a quarter of eden, at most 1 MB (scavenges would copy such an object again and again)
        this.largeObjectBytes = Math.max(4096, Math.min(1 << 20, config.edenBytes() / 4));
    }

    /** A fresh heap holding nil, the special-objects array and an empty class table. */
    public static Heap create(HeapConfig config) {
        Heap h = new Heap(config, YoungSpace.create(config.edenBytes(), config.survivorBytes()),
                new OldSpace(config.segmentBytes(), config.maxHeapBytes()));
        // pinned like true and false: Java fields and machine code keep nil's address. Unpinned,
        // it slid into any segment mapped below the first one (found by stress image-saves).
        // Its one (unused) slot is 0: there is no nil yet to fill it with.
        long nilOop = h.allocatePinnedOld(ClassIndex.NIL, Format.FIXED_POINTERS, 0);
        h.nil = nilOop;
        long specials = h.allocateOldChunk(ClassIndex.ARRAY, Format.INDEXABLE_POINTERS, SPECIAL_OBJECTS_SIZE);
        RawMemory.fillLongs(Layout.slotAddress(specials, 0), SPECIAL_OBJECTS_SIZE, nilOop);
        h.specialObjects = specials;
        Layout.storeRaw(specials, SPECIAL_NIL, nilOop);
        long table = h.allocateOldChunk(ClassIndex.ARRAY, Format.INDEXABLE_POINTERS, INITIAL_CLASS_TABLE);
        RawMemory.fillLongs(Layout.slotAddress(table, 0), INITIAL_CLASS_TABLE, nilOop);
        Layout.storeRaw(specials, SPECIAL_CLASS_TABLE, table);
        return h;
    }

    /** A heap made of existing spaces (image load, rehearsal clone): the caller has relocated them. */
    public static Heap assemble(HeapConfig config, YoungSpace young, OldSpace old, long specialObjects, long[] extraRoots) {
        Heap h = new Heap(config, young, old);
        h.specialObjects = specialObjects;
        h.extraRoots = extraRoots.clone();
        h.refreshCachedRoots();
        old.rebuildFreeList();
        // the remembered bits in the headers are the truth; rebuild the set from them
        old.forEachObject(oop -> {
            long hd = Layout.header(oop);
            if (Header.isRemembered(hd)) {
                Layout.setHeader(oop, hd & ~Header.REMEMBERED_BIT);
                h.remembered.remember(oop);
            }
            if (Header.isPinned(hd)) h.pinned.add(oop);
        });
        return h;
    }

    // ---------------------------------------------------------------- roots

    public long nil() { return nil; }
    public long specialObjects() { return specialObjects; }
    public long specialObject(int index) { return Layout.fetch(specialObjects, index); }
    public void setSpecialObject(int index, long value) { store(specialObjects, index, value); }
    public long[] extraRoots() { return extraRoots; }

    public Handles handles() { return handles; }
    public HandleScope scope() { return handles.scope(); }
    public Handle handle(long reference) { return handles.push(reference); }

    public void addRootProvider(RootProvider provider) { rootProviders.add(provider); }
    public void removeRootProvider(RootProvider provider) { rootProviders.remove(provider); }

    /** Every root, in a fixed order: special objects, extra roots, handles, then the providers. */
    public void forEachRoot(RootVisitor visitor) {
        specialObjects = visitor.visit(specialObjects);
        for (int i = 0; i < extraRoots.length; i++) extraRoots[i] = visitor.visit(extraRoots[i]);
        handles.visitRoots(visitor);
        for (RootProvider p : rootProviders) p.visitRoots(visitor);
    }

    /** After anything moved objects: re-read what Java fields cache. */
    public void refreshCachedRoots() {
        nil = Layout.fetch(specialObjects, SPECIAL_NIL);
    }

    public Set<Long> pinnedObjects() { return pinned; }

    /** --ffi-check's watches and canaries (inactive unless the configuration asks for it). */
    public FfiCanaries ffiCanaries() { return ffiCanaries; }

    // ---------------------------------------------------------------- allocation

    /** A pointer object (fields or indexable) with every slot nil. */
    public long allocatePointers(int classIndex, int format, long numSlots) {
        if (!Format.isPointers(format)) throw new IllegalArgumentException("not a pointer format: " + format);
        long oop = allocateChunk(classIndex, format, numSlots);
        RawMemory.fillLongs(Layout.slotAddress(oop, 0), Math.max(numSlots, 1), nil);
        return oop;
    }

    /** A byte object of {@code byteCount} zero bytes. */
    public long allocateBytes(int classIndex, long byteCount) {
        long words = (byteCount + 7) / 8;
        long oop = allocateChunk(classIndex, Format.BYTES + (int) (words * 8 - byteCount), words);
        RawMemory.fillLongs(Layout.slotAddress(oop, 0), Math.max(words, 1), 0);
        return oop;
    }

    /** A word object of {@code numWords} zero words (not references). */
    public long allocateWords(int classIndex, long numWords) {
        long oop = allocateChunk(classIndex, Format.WORDS, numWords);
        RawMemory.fillLongs(Layout.slotAddress(oop, 0), Math.max(numWords, 1), 0);
        return oop;
    }

    /** A compiled method: slot 0 the method header (literal count and {@code headerBits} above bit 16), nil literals, zero bytes. */
    public long allocateCompiledMethod(int classIndex, int numLiterals, long headerBits, long byteCount) {
        long byteWords = (byteCount + 7) / 8;
        long slots = 1 + numLiterals + byteWords;
        int format = Format.COMPILED_METHOD + (int) (byteWords * 8 - byteCount);
        long oop = allocateChunk(classIndex, format, slots);
        Layout.storeRaw(oop, 0, Tags.smallInteger((headerBits << 16) | numLiterals));
        RawMemory.fillLongs(Layout.slotAddress(oop, 1), numLiterals, nil);
        RawMemory.fillLongs(Layout.slotAddress(oop, 1 + numLiterals), byteWords, 0);
        return oop;
    }

    private long allocateChunk(int classIndex, int format, long numSlots) {
        if (numSlots < 0 || numSlots > Header.MAX_SLOTS) throw new HeapException("cannot allocate an object of " + numSlots + " slots");
        long bytes = Layout.chunkBytesFor(numSlots);
        allocationCount++;
        if (config.gcTorture() && !collecting) {
            if (config.tortureFullGcEvery() > 0 && allocationCount % config.tortureFullGcEvery() == 0) collect(GcKind.FULL);
            else collect(GcKind.SCAVENGE);
        }
        long chunk;
        if (bytes >= largeObjectBytes) {
            chunk = old.allocateChunk(bytes);
        } else {
            chunk = young.allocateChunk(bytes);
            if (chunk == 0) {
                if (collecting) throw new IllegalStateException("allocation during a collection");
                collect(GcKind.SCAVENGE);
                chunk = young.allocateChunk(bytes);
                if (chunk == 0) chunk = old.allocateChunk(bytes);
            }
        }
        return Layout.formatChunk(chunk, classIndex, format, numSlots);
    }

    /**
     * A pinned object born in old space, slots zeroed (pointer slots nil): for objects whose
     * address Java code and machine code keep (compiled methods, symbols). No collection runs.
     */
    public long allocatePinnedOld(int classIndex, int format, long numSlots) {
        long oop = allocateOldChunk(classIndex, format, numSlots);
        RawMemory.fillLongs(Layout.slotAddress(oop, 0), Math.max(numSlots, 1), Format.isPointers(format) ? nil : 0);
        Layout.setHeader(oop, Layout.header(oop) | Header.PINNED_BIT);
        pinned.add(oop);
        return oop;
    }

    /** Old-space allocation without a collection, slots left as they are (bootstrap, collectors). */
    public long allocateOldChunk(int classIndex, int format, long numSlots) {
        long chunk = old.allocateChunk(Layout.chunkBytesFor(numSlots));
        return Layout.formatChunk(chunk, classIndex, format, numSlots);
    }

    public long allocationCount() { return allocationCount; }

    // ---------------------------------------------------------------- access

    public long fetch(long oop, long index) { return Layout.fetch(oop, index); }

    /** A store with the write barrier: an old object that gets a young reference is remembered. */
    public void store(long oop, long index, long value) {
        Layout.storeRaw(oop, index, value);
        if (isYoungObject(value) && !young.contains(oop) && !FaultInjection.skipBarrier()) remembered.remember(oop);
    }

    /**
     * A store into a handle's object. Prefer it to store(h.get(), i, value()): Java evaluates
     * h.get() before value(), so an allocation in value() would leave the store aimed at the
     * object's old address. Here the handle is read after the value exists.
     */
    public void store(Handle h, long index, long value) { store(h.get(), index, value); }

    public boolean isYoungObject(long ref) { return Tags.isPointer(ref) && young.contains(ref); }
    public boolean isOldObject(long ref) { return Tags.isPointer(ref) && old.contains(ref); }

    public long numSlots(long oop) { return Layout.numSlots(oop); }

    public int classIndexOf(long ref) {
        return Tags.isImmediate(ref) ? (int) (ref & Tags.TAG_MASK) : Header.classIndex(Layout.header(ref));
    }

    /** The identity hash, assigned on first request (22 bits, never 0). */
    public int identityHash(long ref) {
        if (Tags.isImmediate(ref)) return (int) (ref >>> Tags.SHIFT) & (int) Header.HASH_MASK;
        long h = Layout.header(ref);
        int hash = Header.hash(h);
        if (hash == 0) {
            do {
                hashState ^= hashState << 13; hashState ^= hashState >>> 7; hashState ^= hashState << 17;
                hash = (int) (hashState & Header.HASH_MASK);
            } while (hash == 0);
            Layout.setHeader(ref, Header.withHash(h, hash));
        }
        return hash;
    }

    // ---------------------------------------------------------------- classes

    public long classTable() { return Layout.fetch(specialObjects, SPECIAL_CLASS_TABLE); }
    public int classTableSize() { return (int) Layout.numSlots(classTable()); }
    public long classAt(int index) { return index < classTableSize() ? Layout.fetch(classTable(), index) : nil; }

    /** Puts {@code classObject} at {@code index} of the class table (growing it); its identity hash becomes the index, as in Spur. */
    public void installClass(int index, long classObject) {
        if (index <= 0 || index > Header.CLASS_INDEX_MASK) throw new HeapException("class index out of range: " + index);
        try (var s = scope()) {
            Handle cls = handle(classObject);
            if (index >= classTableSize()) growClassTable(index + 1);
            store(classTable(), index, cls.get());
            Layout.setHeader(cls.get(), Header.withHash(Layout.header(cls.get()), index));
        }
    }

    /** Class indices below this are reserved (the memory's, then the interpreter's well-known classes). */
    private int firstFreeClassIndex = ClassIndex.FIRST_UNRESERVED;

    public void reserveClassIndicesBelow(int index) { firstFreeClassIndex = Math.max(firstFreeClassIndex, index); }

    /** While the VM builds its first classes, objects may exist before their class does. */
    private boolean bootstrapping;
    public void setBootstrapping(boolean b) { bootstrapping = b; }
    public boolean isBootstrapping() { return bootstrapping; }

    /** Installs {@code classObject} at the first free unreserved index; answers the index. */
    public int registerClass(long classObject) {
        int n = classTableSize();
        for (int i = firstFreeClassIndex; i < n; i++) {
            if (Layout.fetch(classTable(), i) == nil) { installClass(i, classObject); return i; }
        }
        installClass(n, classObject);
        return n;
    }

    private void growClassTable(int atLeast) {
        int oldSize = classTableSize();
        int newSize = Math.max(atLeast, oldSize * 2);
        long table = allocateOldChunk(ClassIndex.ARRAY, Format.INDEXABLE_POINTERS, newSize);
        long oldTable = classTable();
        RawMemory.copy(Layout.slotAddress(oldTable, 0), Layout.slotAddress(table, 0), (long) oldSize * 8);
        RawMemory.fillLongs(Layout.slotAddress(table, oldSize), newSize - oldSize, nil);
        // the entries may be young: the new table must be remembered like any old object
        for (int i = 0; i < oldSize; i++) {
            if (isYoungObject(Layout.fetch(table, i))) { remembered.remember(table); break; }
        }
        store(specialObjects, SPECIAL_CLASS_TABLE, table);
    }

    // ---------------------------------------------------------------- pinning

    /**
     * Pins an object: it will not move until unpinned. A young object is first tenured by a
     * scavenge, so the answer is the object's (possibly new) address; other raw copies of the old
     * address held by the caller are stale, handles are not.
     */
    public long pin(long oop) {
        if (!Tags.isPointer(oop) || oop == 0) throw new HeapException("cannot pin an immediate value");
        if (young.contains(oop)) {
            try (var s = scope()) {
                Handle h = handle(oop);
                collect(GcKind.SCAVENGE, oop);
                oop = h.get();
            }
        }
        Layout.setHeader(oop, Layout.header(oop) | Header.PINNED_BIT);
        pinned.add(oop);
        return oop;
    }

    public void unpin(long oop) {
        if (!Tags.isPointer(oop) || oop == 0) return;
        Layout.setHeader(oop, Layout.header(oop) & ~Header.PINNED_BIT);
        pinned.remove(oop);
    }

    public boolean isPinned(long ref) { return Tags.isPointer(ref) && ref != 0 && Header.isPinned(Layout.header(ref)); }

    // ---------------------------------------------------------------- collection

    public void scavenge() { collect(GcKind.SCAVENGE); }
    public void fullGC() { collect(GcKind.FULL); }
    public void collect(GcKind kind) { collect(kind, 0); }

    /**
     * Runs a collection with the checks the configuration asks for. {@code tenureTarget}, if not
     * 0, is a young object the scavenge must move to old space (pinning).
     */
    public void collect(GcKind kind, long tenureTarget) {
        if (collecting) throw new IllegalStateException("a collection started inside a collection");
        collecting = true;
        try {
            if (config.verifyHeap()) verifyAround(kind, "before ");
            if (config.lemming()) {
                new LemmingRehearsal(this).rehearse(kind, tenureTarget);
                stats.rehearsals++;
            }
            long start = System.nanoTime();
            if (kind == GcKind.SCAVENGE) scavenger.scavenge(false, tenureTarget);
            else fullCollection();
            long pause = System.nanoTime() - start;
            stats.lastPauseNanos = pause;
            stats.maxPauseNanos = Math.max(stats.maxPauseNanos, pause);
            if (kind == GcKind.SCAVENGE) { stats.scavenges++; stats.scavengeNanos += pause; }
            else { stats.fullGcs++; stats.fullGcNanos += pause; }
            if (config.verifyHeap()) verifyAround(kind, "after ");
        } finally {
            collecting = false;
        }
    }

    private void fullCollection() {
        if (config.ffiCheck()) ffiCanaries.checkAndRelease("at full GC #" + (stats.fullGcs + 1));
        scavenger.scavenge(true, 0);          // new space empties into old space
        remembered.clear();                   // nothing young is left to remember
        new Marker(this).markFromRoots();
        compactor.compact();
        refreshCachedRoots();
    }

    public boolean isCollecting() { return collecting; }

    public void verify(String when) { verify(when, true); }

    private void verify(String when, boolean wholeHeap) {
        new HeapVerifier(this).verify(when, wholeHeap);
        stats.verifications++;
        if (wholeHeap) allocationsAtWholeCheck = allocationCount;
    }

    private long allocationsAtWholeCheck;

    /**
     * --verify-heap around a collection. All of the heap at full GCs and whenever the allocations
     * since the last whole check reach old space's bytes / 64; new space, roots and remembered
     * set otherwise. Under --gc-torture (a scavenge per allocation) a whole check per collection
     * made runs quadratic in the heap's size; this keeps the checking proportional to the
     * allocation while still walking all of old space regularly.
     */
    private void verifyAround(GcKind kind, String when) {
        boolean whole = kind == GcKind.FULL || allocationCount - allocationsAtWholeCheck >= old.committedBytes() / 64;
        verify(when + kind + (whole ? "" : " (new space)"), whole);
    }

    // ---------------------------------------------------------------- teardown

    private boolean closed;

    /** Unmaps every space. The heap is unusable afterwards. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        old.unmapAll();
        young.mapping.unmap();
    }

    public boolean isClosed() { return closed; }

    public List<Segment> oldSegments() { return old.segments(); }

    public long oldBytesCommitted() { return old.committedBytes(); }
}
