package dev.lemming.interpreter.exec;

import dev.lemming.interpreter.bytecode.MethodHeader;
import dev.lemming.interpreter.runtime.ClassLoader;
import dev.lemming.interpreter.runtime.MethodInstaller;
import dev.lemming.interpreter.runtime.Universe;
import dev.lemming.memory.Heap;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.roots.RootProvider;
import dev.lemming.memory.roots.RootVisitor;

import java.util.ArrayList;
import java.util.List;

import static dev.lemming.interpreter.bytecode.Bytecodes.*;
import static dev.lemming.interpreter.exec.Frame.*;
import static dev.lemming.interpreter.runtime.ObjectModel.*;
import static dev.lemming.memory.RawMemory.getLong;
import static dev.lemming.memory.RawMemory.putLong;

/**
 * The bytecode interpreter. Frames live in the {@link StackZone}; a send pushes a frame and the
 * loop goes on in the callee, so Smalltalk recursion never deepens the Java stack. The stack zone
 * is a root of the heap: every collection scans it from its base up to {@link #sp}.
 */
public final class Interpreter implements RootProvider {
    public final Universe u;
    public final Heap heap;
    public final ClassLoader loader;
    private final PrimitiveSet primitives;
    private final StackZone stack;

    // The registers. Fields rather than locals so that collections and primitives see them.
    long fp, sp;
    int ip;
    MethodMirror mirror;

    private final List<MethodMirror> mirrors = new ArrayList<>();
    private final MirrorTable mirrorByMethod = new MirrorTable();
    private final LookupCache cache = new LookupCache();
    final long symDoesNotUnderstand, symUnknownGlobal, symEscapedBlock, symIsNil, symNotNil;

    /** State that other modules' primitives keep per interpreter (the FFI's native calls and callbacks). */
    private final java.util.Map<Class<?>, Object> extensions = new java.util.HashMap<>();

    @SuppressWarnings("unchecked")
    public <T> T extension(Class<T> kind, java.util.function.Function<Interpreter, T> create) {
        Object e = extensions.get(kind); // on every FFI call: no lambda, no allocation once it exists
        if (e == null) extensions.put(kind, e = create.apply(this));
        return (T) e;
    }

    public Interpreter(Universe u, ClassLoader loader, PrimitiveSet primitives, long stackBytes) {
        this.u = u;
        this.heap = u.heap;
        this.loader = loader;
        this.primitives = primitives;
        arrayAt = primitives.primitiveFor("Array", "at:");
        arrayAtPut = primitives.primitiveFor("Array", "at:put:");
        blockValue = primitives.get(primitives.primitiveFor("Block", "value"));
        this.stack = new StackZone(stackBytes);
        this.sp = stack.base - 8;
        this.fp = 0;
        heap.addRootProvider(this);
        symDoesNotUnderstand = u.symbol("doesNotUnderstand:arguments:");
        symUnknownGlobal = u.symbol("unknownGlobal:");
        symEscapedBlock = u.symbol("escapedBlock:");
        symIsNil = u.symbol("isNil");
        symNotNil = u.symbol("notNil");
        nilTestsStandard = checkNilTests();
        loader.onNilTestsRedefined(this::nilTestsRedefined);
    }

    @Override
    public void visitRoots(RootVisitor v) {
        for (long a = stack.base; a <= sp; a += 8) {
            long r = getLong(a);
            if ((r & 7) == 0) {
                long nr = v.visit(r);
                if (nr != r) putLong(a, nr);
            }
        }
    }

    // ---------------------------------------------------------------- the machine-code tier

    private ExecutionTier tier;
    private int compileThreshold = Integer.MAX_VALUE;

    /** Methods invoked {@code threshold} times are handed to {@code t} to compile. */
    public void setTier(ExecutionTier t, int threshold) {
        tier = t;
        compileThreshold = t == null ? Integer.MAX_VALUE : threshold;
    }

    public ExecutionTier tier() { return tier; }
    public Universe universe() { return u; }
    public long stackBase() { return stack.base; }
    public long stackLimit() { return stack.limit; }

    public void close() {
        if (tier != null) tier.close();
        heap.removeRootProvider(this);
        stack.close();
    }

    // ---------------------------------------------------------------- stack access for primitives

    /** The value {@code depth} slots below the top (0 = top). */
    public long stackValue(int depth) { return getLong(sp - 8L * depth); }
    public void setStackValue(int depth, long v) { putLong(sp - 8L * depth, v); }
    void push(long v) { sp += 8; putLong(sp, v); }
    long pop() { long v = getLong(sp); sp -= 8; return v; }

    private long localAddress(int slot) { return localAddress(fp, mirror, slot); }

    private static long receiverAddress(long frame, MethodMirror m) { return frame - 8L * (m.numArgs + 1); }
    public long self() { return getLong(receiverAddress(fp, mirror)); }

    // ---------------------------------------------------------------- methods and lookup

    public MethodMirror mirrorOf(long method) {
        MethodMirror m = mirrorByMethod.get(method);
        if (m == null) {
            boolean isPrim = heap.classIndexOf(method) == PRIMITIVE;
            long info = Tags.smallIntegerValue(Layout.fetch(method, 1 + MethodHeader.INFO));
            Primitive p = primitives.get(MethodHeader.primitive(info));
            m = nilTestsStandard ? new MethodMirror(mirrors.size(), method, heap, p, isPrim, symIsNil, symNotNil)
                    : new MethodMirror(mirrors.size(), method, heap, p, isPrim, 0, 0);
            mirrors.add(m);
            mirrorByMethod.put(method, m);
        }
        return m;
    }

    /** After classes change: every cached lookup may be stale. */
    public void flushCaches() {
        cache.clear();
        for (MethodMirror m : mirrors) m.clearCaches();
    }

    /**
     * Whether isNil and notNil are standard, so that the interpreter's code may test for nil
     * where a method sends them ({@link Quickened}): Object's answer false and true, Nil's true
     * and false, as trivial constant methods, and no other class, metaclass included, defines
     * either. A program that puts a method into a class's methods array itself is not noticed,
     * as it is not by the inline caches.
     */
    private boolean nilTestsStandard;

    /** The loader defined a class that defines isNil or notNil: when they are no longer standard, every nil test is a send again. */
    private void nilTestsRedefined() {
        boolean was = nilTestsStandard;
        nilTestsStandard = checkNilTests();
        if (was && !nilTestsStandard) {
            for (MethodMirror m : mirrors) m.undoNilTests();
            if (tier != null) tier.discardAll(); // machine code tests for nil as the interpreter did (MethodMirror.tierCode)
        }
    }

    private boolean checkNilTests() {
        long object = u.classAt(OBJECT), nilClass = u.classAt(NIL);
        int found = 0; // a bit for each of the four standard definitions
        boolean standard = true;
        for (int i = 1, n = heap.classTableSize(); i < n && standard; i++) {
            long cls = heap.classAt(i);
            if (!u.isClass(cls)) continue;
            long methods = heap.fetch(cls, CLASS_METHODS);
            for (long k = 0, count = heap.numSlots(methods); k < count; k++) {
                long method = heap.fetch(methods, k);
                long selector = Layout.fetch(method, 1 + MethodHeader.SIGNATURE);
                if (selector != symIsNil && selector != symNotNil) continue;
                boolean isNil = selector == symIsNil;
                // nil isNil and anything else's notNil answer true
                standard &= (cls == object || cls == nilClass) && answersConstant(method, (cls == nilClass) == isNil ? u.trueObject : u.falseObject);
                found |= 1 << ((cls == nilClass ? 2 : 0) + (isNil ? 1 : 0));
            }
        }
        return standard && found == 0b1111; // without all four, a send would not find what the test answers
    }

    private boolean answersConstant(long method, long value) {
        MethodMirror m = mirrorOf(method);
        return m.trivial == MethodMirror.CONSTANT && trivialConstant(m) == value;
    }

    /** The method {@code selector} finds for instances of class index {@code classIndex}, or null. */
    public MethodMirror lookup(int classIndex, long selector) {
        MethodMirror m = cache.get(classIndex, selector);
        if (m != null) return m;
        long method = lookupInClass(heap.classAt(classIndex), selector);
        if (method == 0) return null;
        m = mirrorOf(method);
        cache.put(classIndex, selector, m);
        return m;
    }

    /** The method object {@code selector} finds starting at class {@code cls}, or 0. */
    public long lookupInClass(long cls, long selector) {
        for (long c = cls; c != u.nil; c = u.superclass(c)) {
            long methods = heap.fetch(c, CLASS_METHODS);
            for (long i = 0, n = heap.numSlots(methods); i < n; i++) {
                long m = heap.fetch(methods, i);
                if (Layout.fetch(m, 1 + MethodHeader.SIGNATURE) == selector) return m;
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------- calling Smalltalk from Java

    /**
     * Sends {@code selector} to the receiver and arguments given, in a run loop of its own, and
     * answers the result. The interpreter's registers are restored afterwards, whatever happens.
     */
    public long send(long selector, long receiver, long... args) {
        return nested(() -> {
            push(receiver);
            for (long a : args) push(a);
            MethodMirror m = lookup(heap.classIndexOf(receiver), selector);
            if (m == null) {
                dispatchDoesNotUnderstand(selector, args.length, true);
            } else if (!invoke(m, args.length, true)) {
                return pop(); // a primitive answered at once
            }
            return run();
        });
    }

    /**
     * Evaluates a block in a nested run loop (ensure blocks, callbacks), its arguments made one by
     * one by {@code argument}, which may allocate: each is pushed before the next is made, so a
     * collection meanwhile updates them. Callbacks need no handles nor argument arrays this way.
     */
    public long valueBlockWith(long closure, int nargs, java.util.function.IntToLongFunction argument) {
        // nested() by hand: every callback comes through here, and the body's lambda would be an
        // allocation per call (the JVM's compiler does not inline it through nested)
        long saveFp = fp, saveSp = sp;
        int saveIp = ip;
        MethodMirror saveMirror = mirror;
        try {
            push(closure);
            for (int i = 0; i < nargs; i++) {
                long a = argument.applyAsLong(i);
                push(a);
            }
            activateBlock(nargs, true);
            return run();
        } finally {
            fp = saveFp; sp = saveSp; ip = saveIp; mirror = saveMirror;
        }
    }

    /**
     * Goes on with frames that machine code entered from native code left (a callback's block,
     * see NativeCallbacks): frame {@code atFp} with its top of stack at {@code atSp} executes the
     * bytecode at {@code atIp} (-1: the block has returned, its result at atSp) in a nested run
     * loop, until the block returns; answers its result.
     */
    public long resumeMachineFrames(long atFp, long atSp, int atIp) {
        return nested(() -> {
            sp = atSp;
            if (atIp == ExecutionTier.FIRST_FRAME_RETURNED) return pop();
            fp = atFp;
            ip = atIp;
            mirror = mirrorAt(fp);
            return run(); // as after any exit: machine code at ip first (it exits again where it must), then the loop
        });
    }

    public long currentSp() { return sp; }

    /** Evaluates a block with arguments in a nested run loop. */
    public long valueBlock(long closure, long... args) {
        return valueBlockWith(closure, args.length, i -> args[i]);
    }

    /** Runs {@code body} (which starts a run loop) and restores the registers afterwards, whatever happens. */
    private long nested(java.util.function.LongSupplier body) {
        long saveFp = fp, saveSp = sp;
        int saveIp = ip;
        MethodMirror saveMirror = mirror;
        try {
            return body.getAsLong();
        } finally {
            fp = saveFp; sp = saveSp; ip = saveIp; mirror = saveMirror;
        }
    }

    // ---------------------------------------------------------------- activation

    /** Runs a method or primitive whose receiver and arguments are on the stack. Answers true if a frame was pushed. */
    boolean invoke(MethodMirror m, int nargs, boolean entry) {
        if (m.isPrimitiveMethod) {
            if ((m.primitiveNumber == arrayAt || m.primitiveNumber == arrayAtPut) && arrayAccess(m.primitiveNumber == arrayAtPut, nargs)) return false;
            if (m.primitive == blockValue && blockValue != null) { activateBlock(nargs, false); return true; } // what the primitive does, without its call
            long r;
            try {
                // a class may declare `= primitive` for a method this VM has no primitive for
                if (m.primitive == null) throw new PrimitiveFailure(describe(m) + " is declared as a primitive, but this VM has no primitive of that name");
                r = m.primitive.call(this, nargs);
            } catch (PrimitiveFailure f) {
                sp -= 8L * nargs;
                putLong(sp, signalFailure(f));
                return false;
            } catch (ArithmeticException e) {
                // a primitive's arithmetic beyond what Java's numbers take (a BigInteger past its
                // range, say) is the program's error, not the VM's
                sp -= 8L * nargs;
                putLong(sp, signalFailure(new PrimitiveFailure(describe(m) + ": " + e.getMessage())));
                return false;
            }
            if (r != Primitive.DONE) {
                sp -= 8L * nargs;
                putLong(sp, r);
                return false;
            }
            return true; // the primitive pushed a frame (or changed the stack) itself
        }
        activate(m, nargs, 0, entry);
        return true;
    }

    /**
     * The primitive numbers of Array>>at: and at:put:, and the primitive of every block
     * evaluation (value, value: ...), which invoke performs itself: the most frequent
     * primitives, where a call of their Primitive is a megamorphic interface call.
     */
    private final int arrayAt, arrayAtPut;
    private final Primitive blockValue;

    /**
     * Array at: and at:put: of an Array (not a subclass) at an index in range. False for
     * anything else, which the primitive itself answers (or fails with its message).
     */
    private boolean arrayAccess(boolean put, int nargs) {
        long a = stackValue(nargs), i = stackValue(nargs - 1);
        if ((a & 7) != 0 || !Tags.isSmallInteger(i) || heap.classIndexOf(a) != ARRAY) return false;
        long k = Tags.smallIntegerValue(i) - 1;
        if (k < 0 || k >= heap.numSlots(a)) return false;
        long r = a; // at:put: answers the array, as the primitive does
        if (put) heap.store(a, k, getLong(sp));
        else r = heap.fetch(a, k);
        sp -= 8L * nargs;
        putLong(sp, r);
        return true;
    }

    /** Signals the failure as an instance of its exception class; answers what signal answers. */
    private long signalFailure(PrimitiveFailure f) {
        long cls = u.global(u.symbol(f.exceptionClass));
        if (cls == 0) cls = loader.load(f.exceptionClass);
        if (cls == 0) throw f;
        try (var s = heap.scope()) {
            var exception = heap.handle(send(u.symbol("new"), cls));
            long text = u.newString(f.getMessage());
            return send(u.symbol("signal:"), exception.get(), text);
        }
    }

    /** The block on the stack below its {@code nargs} arguments becomes a running frame. */
    void activateBlock(int nargs, boolean entry) {
        long closure = stackValue(nargs);
        if (heap.classIndexOf(closure) < BLOCK || heap.classIndexOf(closure) > BLOCK3) throw new SmalltalkError("not a block: cannot evaluate it");
        MethodMirror m = mirrorOf(heap.fetch(closure, BLOCK_METHOD));
        if (m.numArgs != nargs) throw new SmalltalkError("wrong number of arguments: a block of " + m.numArgs + " argument(s) evaluated with " + nargs);
        activate(m, nargs, closure, entry);
    }

    private void activate(MethodMirror m, int nargs, long closure, boolean entry) {
        if (interruptRequested) checkInterrupt();
        countActivation(m);
        long frame = sp + 8;
        if (frame + m.frameBytes() > stack.limit) {
            throw new SmalltalkError("stack overflow: more than " + ((stack.limit - stack.base) >> 20) + " MB of frames (runaway recursion?)");
        }
        long env;
        if (m.envSlots > 0) {
            env = heap.allocatePointers(ENVIRONMENT, Format.INDEXABLE_POINTERS, m.envSlots); // may collect: re-read below
            if (closure != 0) {
                closure = stackValue(nargs);
                heap.store(env, MethodHeader.ENV_PARENT, heap.fetch(closure, BLOCK_OUTER_ENV));
            } else {
                Layout.storeRaw(env, MethodHeader.ENV_HOME_FRAME, ref(frame, stack.base));
            }
        } else {
            env = closure != 0 ? heap.fetch(closure, BLOCK_OUTER_ENV) : u.nil;
        }
        if (closure != 0) putLong(sp - 8L * nargs, heap.fetch(closure, BLOCK_RECEIVER));
        putLong(frame + 8L * Frame.METHOD, m.method);
        putLong(frame + 8L * CALLER_FP, entry ? entryMarker(fp, stack.base) : ref(fp, stack.base));
        putLong(frame + 8L * CALLER_IP, Tags.smallInteger(ip));
        putLong(frame + 8L * ENV, env);
        putLong(frame + 8L * CLOSURE, closure != 0 ? closure : u.nil);
        putLong(frame + 8L * MIRROR, Tags.smallInteger(m.id));
        long nil = u.nil;
        for (int i = 0; i < m.numTemps; i++) putLong(frame + 8L * (HEADER + i), nil);
        if (dev.lemming.memory.FaultInjection.untaggedTempInMethod != null && m.numTemps > 0
                && dev.lemming.memory.FaultInjection.untaggedTempInMethod.equals(u.stringValue(m.literal(MethodHeader.SIGNATURE))))
            putLong(frame + 8L * (HEADER + m.numTemps - 1), 0x1000); // a raw word where a tagged reference belongs
        fp = frame;
        sp = frame + 8L * (HEADER + m.numTemps) - 8;
        ip = 0;
        mirror = m;
    }

    /** Returns {@code result} from the current frame. Answers true if that frame was a run loop's first. */
    private boolean returnFromFrame(long result) {
        markHomeGone();
        long callerTagged = getLong(fp + 8L * CALLER_FP);
        int callerIp = (int) Tags.smallIntegerValue(getLong(fp + 8L * CALLER_IP));
        long rcv = receiverAddress(fp, mirror);
        putLong(rcv, result);
        sp = rcv;
        if (isEntry(callerTagged)) return true;
        fp = at(callerTagged, stack.base);
        ip = callerIp;
        mirror = mirrors.get((int) Tags.smallIntegerValue(getLong(fp + 8L * MIRROR)));
        return false;
    }

    /** The current frame is leaving: a later ^ from the blocks of its method must escape. */
    private void markHomeGone() {
        if (mirror.envSlots > 0 && !mirror.isBlock()) Layout.storeRaw(getLong(fp + 8L * ENV), MethodHeader.ENV_HOME_FRAME, u.nil);
    }

    /**
     * Leaves every frame above {@code targetFp}, running pending unwind blocks (ensure:,
     * ifCurtailed:) innermost first. Throws the unwind on when the target lies below this run
     * loop's first frame.
     */
    private void unwindTo(long targetFp, long value, boolean restart) {
        while (fp != targetFp) {
            if (mirror.hasFlag(MethodHeader.FLAG_UNWIND_PROTECT)) {
                long pendingAt = localAddress(mirror.numArgs); // the first temp holds the pending block
                long pending = getLong(pendingAt);
                if (pending != u.nil) {
                    putLong(pendingAt, u.nil);
                    try (var s = heap.scope()) {
                        var v = heap.handle(value);
                        valueBlock(pending);
                        value = v.get();
                    }
                }
            }
            markHomeGone();
            long callerTagged = getLong(fp + 8L * CALLER_FP);
            sp = receiverAddress(fp, mirror) - 8;
            if (isEntry(callerTagged)) throw new Unwind(targetFp, value, restart);
            fp = at(callerTagged, stack.base);
            mirror = mirrors.get((int) Tags.smallIntegerValue(getLong(fp + 8L * MIRROR)));
            sp = fp + 8L * (HEADER + mirror.numTemps) - 8; // its operand stack is abandoned
        }
    }

    /** Unwinds to {@code targetFp} and returns {@code value} from it; true if it was a run loop's first frame. */
    private boolean unwindAndReturn(long targetFp, long value) {
        try (var s = heap.scope()) {
            var v = heap.handle(value);
            unwindTo(targetFp, value, false);
            value = v.get();
        }
        return returnFromFrame(value);
    }

    /** Is {@code frame} live: on the chain of callers from the current frame, across run loops? */
    public boolean isLiveFrame(long frame) {
        for (long f = fp; f != 0; f = callerFp(getLong(f + 8L * CALLER_FP), stack.base)) if (f == frame) return true;
        return false;
    }

    /** Starts unwinding to a live frame: it returns {@code value} (or restarts) once every frame above it is gone. */
    public void unwindToFrame(long frame, long value, boolean restart) {
        if (!isLiveFrame(frame)) throw new PrimitiveFailure("the frame to return to has already returned");
        throw new Unwind(frame, value, restart);
    }

    public long callerOf(long frame) { return callerFp(getLong(frame + 8L * CALLER_FP), stack.base); }
    /** A frame as a SmallInteger that stays valid across image save and load. */
    public long frameRef(long frame) { return ref(frame, stack.base); }
    public long frameAt(long ref) { return at(ref, stack.base); }
    public MethodMirror mirrorAt(long frame) { return mirrors.get((int) Tags.smallIntegerValue(getLong(frame + 8L * MIRROR))); }
    public long currentFrame() { return fp; }
    /** Argument {@code i} of the frame, or its temp when i >= the number of arguments. */
    public long frameLocalAddress(long frame, int i) {
        MethodMirror m = mirrorAt(frame);
        return i < m.numArgs ? frame - 8L * (m.numArgs - i) : frame + 8L * (HEADER - m.numArgs + i);
    }
    public long frameReceiverAddress(long frame) { return receiverAddress(frame, mirrorAt(frame)); }

    // ---------------------------------------------------------------- sends

    /** The send at {@code site} of the current method; its selector is read only when its inline cache misses. */
    private void send(int nargs, int site) {
        long rcv = stackValue(nargs);
        int ci = heap.classIndexOf(rcv);
        MethodMirror here = mirror;
        MethodMirror target;
        if (here.icClass[site] == ci) {
            target = here.icTarget[site];
        } else {
            long selector = selectorAt(here, site);
            target = lookup(ci, selector);
            if (target == null) { dispatchDoesNotUnderstand(selector, nargs, false); return; }
            here.icClass[site] = ci;
            here.icTarget[site] = target;
            // an accessor's send for this class is answered in loop() from now on (any other class
            // still sends), unless machine code's send must be linked here (MethodMirror.installMachineCode)
            boolean getter = target.trivial == MethodMirror.GETTER && nargs == 0, setter = target.trivial == MethodMirror.SETTER && nargs == 1;
            if ((getter || setter) && Tags.isPointer(rcv) && here.entries == null) {
                here.quickOperand[site] = (long) ci << 32 | target.trivialOperand;
                here.interpreterCode[site] = (byte) (getter ? Quickened.GETTER_SEND : Quickened.SETTER_SEND);
            }
        }
        if (here.entries != null) tier.linkSend(here, site, ci, target, rcv); // machine code came here through its send's slow path
        if (target.trivial != MethodMirror.NOT_TRIVIAL) performTrivial(target, nargs);
        else invoke(target, nargs, false);
    }

    /** An activation, a back jump or a trivial send of {@code m}: at the threshold the tier compiles it (then it is no longer counted). */
    private void countActivation(MethodMirror m) {
        if (m.invocations < compileThreshold && ++m.invocations == compileThreshold) {
            if (tier != null) tier.compile(m);
            else m.invocations = 0; // no tier (--jit=off): the count starts over rather than reach the threshold
        }
    }

    /** What a CONSTANT trivial method answers: the value its push bytecode (at 0) pushes. */
    public long trivialConstant(MethodMirror m) {
        return switch (m.code[0]) {
            case PUSH_NIL -> u.nil;
            case PUSH_TRUE -> u.trueObject;
            case PUSH_FALSE -> u.falseObject;
            case PUSH_SMALL_INT -> Tags.smallInteger((short) u16(m.code, 1));
            default -> m.literal(u16(m.code, 1)); // PUSH_LITERAL
        };
    }

    /** A trivial method's send (see MethodMirror.trivial), without a frame: the result replaces receiver and arguments. */
    private void performTrivial(MethodMirror m, int nargs) {
        countActivation(m); // compiled like any method: the JIT's send stencil needs the code of a literal constant
        long rcv = stackValue(nargs);
        long result = switch (m.trivial) {
            case MethodMirror.GETTER -> Layout.fetch(rcv, m.trivialOperand);
            case MethodMirror.SETTER -> { heap.store(rcv, m.trivialOperand, getLong(sp)); yield rcv; }
            case MethodMirror.SELF -> rcv;
            default -> trivialConstant(m);
        };
        sp -= 8L * nargs;
        putLong(sp, result);
    }

    /** A super send's target depends on the method's holder alone: its inline cache holds it once found. */
    private static final int SUPER_TARGET = -2;

    /** The super send at {@code site}; as {@link #send}, its selector is read only when its cache is empty. */
    private void superSend(int nargs, int site) {
        MethodMirror here = mirror;
        MethodMirror target;
        if (here.icClass[site] == SUPER_TARGET) {
            target = here.icTarget[site];
        } else {
            long selector = selectorAt(here, site);
            long sup = u.superclass(here.literal(MethodHeader.HOLDER));
            long method = sup == u.nil ? 0 : lookupInClass(sup, selector);
            if (method == 0) { dispatchDoesNotUnderstand(selector, nargs, false); return; }
            target = mirrorOf(method);
            here.icClass[site] = SUPER_TARGET;
            here.icTarget[site] = target;
        }
        // machine code's cache for this site is keyed by the receiver's class, every entry the same target
        if (here.entries != null) { long rcv = stackValue(nargs); tier.linkSend(here, site, heap.classIndexOf(rcv), target, rcv); }
        if (target.trivial != MethodMirror.NOT_TRIVIAL) performTrivial(target, nargs);
        else invoke(target, nargs, false);
    }

    /** The selector of the send at {@code site} (its literal index follows the opcode). */
    private static long selectorAt(MethodMirror m, int site) { return m.literal(u16(m.code, site + 1)); }

    /** A send with no site of its own (perform:, unknownGlobal:): the receiver and {@code nargs} arguments are on the stack. */
    private void sendWithoutCache(long selector, int nargs) {
        MethodMirror m = lookup(heap.classIndexOf(stackValue(nargs)), selector);
        if (m == null) dispatchDoesNotUnderstand(selector, nargs, false);
        else invoke(m, nargs, false);
    }

    /** The receiver gets doesNotUnderstand: selector arguments: anArray instead. */
    private void dispatchDoesNotUnderstand(long selector, int nargs, boolean entry) {
        long args = u.newArray(nargs); // may collect; the stack is up to date
        for (int i = 0; i < nargs; i++) heap.store(args, i, stackValue(nargs - 1 - i));
        sp -= 8L * nargs;
        long rcv = stackValue(0);
        MethodMirror dnu = lookup(heap.classIndexOf(rcv), symDoesNotUnderstand);
        if (dnu == null) throw new SmalltalkError(describeValue(rcv) + " does not understand #" + u.stringValue(selector));
        push(selector);
        push(args);
        invoke(dnu, 2, entry);
    }

    // ---------------------------------------------------------------- the loop

    /** Set from another thread to stop the program (a test's time limit, later Ctrl-C); checked at back jumps and calls. */
    private volatile boolean interruptRequested;
    public void requestInterrupt() {
        interruptRequested = true;
        if (tier != null) tier.interrupt(true);
    }
    private void checkInterrupt() {
        if (interruptRequested) {
            interruptRequested = false;
            if (tier != null) tier.interrupt(false);
            throw new SmalltalkError("interrupted");
        }
    }

    /** How many run loops are active (nested ones run ensure blocks, escapedBlock:, callbacks). */
    private int runDepth;

    /** Runs until the first frame of this run loop returns; answers its result. */
    long run() {
        runDepth++;
        try {
            // a compiled first frame (a callback's block, most often) runs before the loop is entered:
            // when its machine code returns, the loop, a large method to enter, is not needed at all
            if (mirror.entries != null && runMachineCode()) return pop();
            return runLoop();
        } finally {
            runDepth--;
        }
    }

    /**
     * Runs the current frame's machine code from ip until it needs the interpreter; answers true
     * when the run loop's first frame returned (its result on top of the stack).
     */
    private boolean runMachineCode() {
        ip = tier.run(fp, sp, mirror.entries[ip]);
        sp = tier.sp();
        if (ip == ExecutionTier.FIRST_FRAME_RETURNED) return true;
        // machine code that returned or sent may stop in another frame, even one built
        // where the frame it was entered in used to be: always re-read the method
        fp = tier.fp();
        mirror = mirrorAt(fp);
        return false;
    }

    private long runLoop() {
        while (true) {
            try {
                if (loop()) return pop();
            } catch (SmalltalkError e) {
                throw e.withBacktrace(backtrace());
            } catch (dev.lemming.memory.OutOfHeapException e) {
                throw new SmalltalkError(e.getMessage()).withBacktrace(backtrace());
            } catch (Unwind uw) {
                // a return: or retry, or a nested loop that could not reach the target: continue from here
                if (uw.restart) {
                    unwindTo(uw.targetFp, uw.value, true);
                    restartFrame();
                } else if (unwindAndReturn(uw.targetFp, uw.value)) {
                    return pop();
                }
            }
        }
    }

    /**
     * Answers true when the run loop's first frame has returned (its result on the stack).
     *
     * <p>The registers live in locals here, where the JVM's compiler keeps them in machine
     * registers; as fields they were written and read again around every access to the stack
     * zone, which the compiler cannot tell apart from the fields' memory. The simple bytecodes
     * run here on the locals. Every other one, and any fast path that does not apply (an
     * operand of another kind, a non-boolean condition), is executed by {@link #step} on the
     * fields: the locals are written back first and read again after, which is all a send,
     * return, allocation, collection or error needs. A fast path changes nothing before it
     * knows it applies, so step starts the bytecode over from the same state. fp and the
     * method change only in step and in the machine code run after it.
     */
    private boolean loop() {
        // machine code runs until it needs the interpreter for the bytecode at ip; that bytecode
        // and the simple ones after it run here, and machine code is entered again after the next
        // step, where alone a method is compiled, entered or returned to (a compiled method's
        // back jumps always step). Not a flag tested at every dispatch: one live value less in
        // this loop, which C2 spills (pinned, one round of 14: Permute -27%, Towers -17%,
        // Mandelbrot -16%, Sieve -8%, the rest within 3%)
        if (mirror.entries != null && runMachineCode()) return true;
        long sp = this.sp, fp = this.fp;
        int ip = this.ip;
        MethodMirror m = this.mirror;
        byte[] code = m.interpreterCode;
        while (true) {
            int at = ip;
            int op = code[at];
            boolean inline = true;
            switch (op) {
                case PUSH_LOCAL -> { long v = getLong(fp + m.localOffset[code[at + 1] & 0xFF]); putLong(sp += 8, v); ip = at + 2; }
                case PUSH_ENV -> { long v = Layout.fetch(env(fp, code[at + 1] & 0xFF), code[at + 2] & 0xFF); putLong(sp += 8, v); ip = at + 3; }
                case PUSH_FIELD -> { long v = Layout.fetch(getLong(receiverAddress(fp, m)), code[at + 1] & 0xFF); putLong(sp += 8, v); ip = at + 2; }
                case PUSH_SELF -> { long v = getLong(receiverAddress(fp, m)); putLong(sp += 8, v); ip = at + 1; }
                case PUSH_NIL -> { putLong(sp += 8, u.nil); ip = at + 1; }
                case PUSH_TRUE -> { putLong(sp += 8, u.trueObject); ip = at + 1; }
                case PUSH_FALSE -> { putLong(sp += 8, u.falseObject); ip = at + 1; }
                case PUSH_SMALL_INT -> { putLong(sp += 8, Tags.smallInteger((short) u16(code, at + 1))); ip = at + 3; }
                case PUSH_LITERAL -> { long v = m.literal(u16(code, at + 1)); putLong(sp += 8, v); ip = at + 3; }
                case PUSH_GLOBAL -> {
                    int slot = m.icClass[at]; // the global's slot, once known
                    if (slot >= 0) { long v = u.globalAt(slot); putLong(sp += 8, v); ip = at + 3; } else inline = false;
                }
                case POP -> { sp -= 8; ip = at + 1; }
                case DUP -> { long v = getLong(sp); putLong(sp += 8, v); ip = at + 1; }
                case STORE_LOCAL -> { putLong(fp + m.localOffset[code[at + 1] & 0xFF], getLong(sp)); ip = at + 2; }
                case POP_LOCAL -> { putLong(fp + m.localOffset[code[at + 1] & 0xFF], getLong(sp)); sp -= 8; ip = at + 2; }
                case STORE_ENV -> { heap.store(env(fp, code[at + 1] & 0xFF), code[at + 2] & 0xFF, getLong(sp)); ip = at + 3; }
                case POP_ENV -> { heap.store(env(fp, code[at + 1] & 0xFF), code[at + 2] & 0xFF, getLong(sp)); sp -= 8; ip = at + 3; }
                case STORE_FIELD -> { heap.store(getLong(receiverAddress(fp, m)), code[at + 1] & 0xFF, getLong(sp)); ip = at + 2; }
                case POP_FIELD -> { heap.store(getLong(receiverAddress(fp, m)), code[at + 1] & 0xFF, getLong(sp)); sp -= 8; ip = at + 2; }
                case JUMP -> ip = at + 3 + u16(code, at + 1);
                case JUMP_BACK -> {
                    // a loop counts like a call: a long loop is compiled while it runs, and its
                    // machine code is entered after the step that compiled it, at the jump's target;
                    // countActivation's count, here until the threshold's count, which step does
                    if (interruptRequested || m.invocations >= compileThreshold - 1) inline = false;
                    else { m.invocations++; ip = at + 3 - u16(code, at + 1); }
                }
                case JUMP_IF_TRUE, JUMP_IF_FALSE -> {
                    long v = getLong(sp);
                    boolean t = v == u.trueObject;
                    if (t || v == u.falseObject) { sp -= 8; ip = at + 3 + (t == (op == JUMP_IF_TRUE) ? u16(code, at + 1) : 0); } else inline = false;
                }
                case JUMP_IF_NIL -> { long v = getLong(sp); sp -= 8; ip = at + 3 + (v == u.nil ? u16(code, at + 1) : 0); }
                case JUMP_IF_NOT_NIL -> { long v = getLong(sp); sp -= 8; ip = at + 3 + (v != u.nil ? u16(code, at + 1) : 0); }
                case SEND_ADD, SEND_SUB, SEND_MUL, SEND_LT, SEND_GT, SEND_LE, SEND_GE, SEND_EQ, SEND_NE -> {
                    long b = getLong(sp), a = getLong(sp - 8);
                    long r = 0;
                    if ((a & b & 1) != 0 && Tags.isSmallInteger(a) && Tags.isSmallInteger(b)) r = smallIntegerOp(op, a, b);
                    else if ((a & b & Tags.SMALL_FLOAT_TAG) != 0 && Tags.isSmallFloat(a) && Tags.isSmallFloat(b)) r = smallFloatOp(op, a, b);
                    if (r != 0) { putLong(sp -= 8, r); ip = at + 4; } else inline = false;
                }
                case SEND_IDENTICAL -> { long b = getLong(sp); sp -= 8; putLong(sp, u.bool(getLong(sp) == b)); ip = at + 4; }
                case Quickened.GETTER_SEND -> {
                    long r = getLong(sp), w = m.quickOperand[at];
                    if (heap.classIndexOf(r) == (int) (w >>> 32)) { putLong(sp, Layout.fetch(r, (int) w)); ip = at + 4; } else inline = false;
                }
                case Quickened.SETTER_SEND -> {
                    long r = getLong(sp - 8), w = m.quickOperand[at];
                    if (heap.classIndexOf(r) == (int) (w >>> 32)) { heap.store(r, (int) w, getLong(sp)); sp -= 8; ip = at + 4; } else inline = false;
                }
                case Quickened.COMPARE_BRANCH, Quickened.FIELD_COMPARE_BRANCH -> {
                    int i = code[at + 1] & 0xFF;
                    long a = op == Quickened.COMPARE_BRANCH ? getLong(fp + m.localOffset[i]) : Layout.fetch(getLong(receiverAddress(fp, m)), i);
                    long q = m.quickOperand[at];
                    long b = (q & 1) != 0 ? q : (q & Quickened.FIELD_TAG) == 0 ? getLong(fp + q) : Layout.fetch(getLong(receiverAddress(fp, m)), q >> 3);
                    if (Tags.isSmallInteger(a) && Tags.isSmallInteger(b)) {
                        long c = m.quickControl[at];
                        int outcome = a < b ? 1 : a == b ? 2 : 4; // tagged SmallIntegers order as their values
                        ip = (int) ((c & outcome) != 0 ? c >>> Quickened.IF_TRUE : c >>> Quickened.IF_FALSE) & Quickened.IP_MASK;
                    } else { putLong(sp += 8, a); ip = at + 2; } // push_local or push_field: the sequence runs as compiled
                }
                case Quickened.ARITH_STORE, Quickened.FIELD_ARITH_STORE -> {
                    int i = code[at + 1] & 0xFF;
                    long a = op == Quickened.ARITH_STORE ? getLong(fp + m.localOffset[i]) : Layout.fetch(getLong(receiverAddress(fp, m)), i);
                    long q = m.quickOperand[at];
                    long b = (q & 1) != 0 ? q : (q & Quickened.FIELD_TAG) == 0 ? getLong(fp + q) : Layout.fetch(getLong(receiverAddress(fp, m)), q >> 3);
                    long c = m.quickControl[at];
                    // on tagged SmallIntegers (value << 3 | 1): a +- (b - 1) is the tagged sum or difference;
                    // the 64-bit operation overflows exactly when the value leaves SmallInteger's range
                    long d = b - 1, r = (c & 1) == 0 ? a + d : a - d;
                    boolean overflow = (c & 1) == 0 ? ((a ^ r) & (d ^ r)) < 0 : ((a ^ d) & (a ^ r)) < 0;
                    if (Tags.isSmallInteger(a) && Tags.isSmallInteger(b) && !overflow) {
                        // a SmallInteger stored in a field needs no write barrier
                        if ((c & 1L << Quickened.TO_FIELD) == 0) putLong(fp + (c >> Quickened.STORE), r);
                        else Layout.storeRaw(getLong(receiverAddress(fp, m)), c >> Quickened.STORE, r);
                        ip = (int) (c >>> Quickened.NEXT) & Quickened.IP_MASK;
                    } else { putLong(sp += 8, a); ip = at + 2; }
                }
                default -> inline = false;
            }
            if (!inline) {
                this.sp = sp; this.ip = at;
                if (step(op, code, at) || mirror.entries != null && runMachineCode()) return true;
                sp = this.sp; fp = this.fp; ip = this.ip; m = this.mirror; code = m.interpreterCode;
            }
        }
    }

    /** The bytecode at {@code at} of the current method, on the registers' fields; answers true when the run loop's first frame returned. */
    private boolean step(int op, byte[] code, int at) {
        switch (op) {
            case PUSH_GLOBAL -> { ip = at + 3; pushGlobal(mirror.literal(u16(code, at + 1)), at); }
            case PUSH_BLOCK -> { ip = at + 3; pushBlock(mirror.literal(u16(code, at + 1))); }
            case SUPER_SEND -> { ip = at + 4; superSend(code[at + 3], at); }
            case RETURN_LOCAL -> { return returnFromFrame(pop()); }
            case RETURN_SELF -> { return returnFromFrame(self()); }
            case RETURN_NON_LOCAL -> { return nonLocalReturn(code[at + 1] & 0xFF); }
            case JUMP_BACK -> {
                ip = at + 3 - u16(code, at + 1);
                if (interruptRequested) checkInterrupt();
                countActivation(mirror);
            }
            case JUMP_IF_TRUE -> ip = at + 3 + (bool(pop(), at) ? u16(code, at + 1) : 0);
            case JUMP_IF_FALSE -> ip = at + 3 + (bool(pop(), at) ? 0 : u16(code, at + 1));
            // a special send loop() did not answer (other operands, an overflow) is a send like any other
            case SEND, Quickened.GETTER_SEND, Quickened.SETTER_SEND, SEND_ADD, SEND_SUB, SEND_MUL, SEND_LT, SEND_GT, SEND_LE, SEND_GE, SEND_EQ, SEND_NE -> {
                ip = at + 4;
                send(code[at + 3], at);
            }
            case SEND_AND, SEND_OR, SEND_IF_TRUE_IF_FALSE -> {
                ip = at + 4;
                int n = code[at + 3];
                long answer = booleanAnswer(op, sp - 8L * n);
                if (answer != 0) { sp -= 8L * n; putLong(sp, answer); }
                else send(n, at);
            }
            default -> throw new IllegalStateException("bad bytecode " + op + " at " + at + " in " + describe(mirror));
        }
        return false;
    }

    private static long localAddress(long fp, MethodMirror m, int slot) { return fp + m.localOffset[slot]; }

    private static long env(long fp, int depth) {
        long e = getLong(fp + 8L * ENV);
        for (int i = 0; i < depth; i++) e = Layout.fetch(e, MethodHeader.ENV_PARENT);
        return e;
    }

    /** SmallInteger arithmetic and comparison; 0 when the result does not fit (then the send happens). */
    private long smallIntegerOp(int op, long a, long b) {
        long x = a >> 3, y = b >> 3;
        switch (op) {
            case SEND_ADD: { long r = x + y; return Tags.fitsSmallInteger(r) ? Tags.smallInteger(r) : 0; }
            case SEND_SUB: { long r = x - y; return Tags.fitsSmallInteger(r) ? Tags.smallInteger(r) : 0; }
            case SEND_MUL: {
                long hi = Math.multiplyHigh(x, y), r = x * y;
                return (hi == (r >> 63)) && Tags.fitsSmallInteger(r) ? Tags.smallInteger(r) : 0;
            }
            case SEND_LT: return u.bool(x < y);
            case SEND_GT: return u.bool(x > y);
            case SEND_LE: return u.bool(x <= y);
            case SEND_GE: return u.bool(x >= y);
            case SEND_EQ: return u.bool(x == y);
            case SEND_NE: return u.bool(x != y); // Object>><> is (self = argument) not
            default: return 0;
        }
    }

    /**
     * The same for two SmallFloat64s (what Double's primitives answer, without a send); 0 when
     * the result is no SmallFloat64 (a boxed Double, made by the primitive).
     */
    private long smallFloatOp(int op, long a, long b) {
        double x = Tags.smallFloatValue(a), y = Tags.smallFloatValue(b);
        switch (op) {
            case SEND_ADD: return smallFloatOrZero(x + y);
            case SEND_SUB: return smallFloatOrZero(x - y);
            case SEND_MUL: return smallFloatOrZero(x * y);
            case SEND_LT: return u.bool(x < y);
            case SEND_GT: return u.bool(x > y);
            case SEND_LE: return u.bool(x <= y);
            case SEND_GE: return u.bool(x >= y);
            case SEND_EQ: return u.bool(x == y);
            case SEND_NE: return u.bool(x != y); // Object>><> is (self = argument) not
            default: return 0;
        }
    }

    /**
     * and: (&&), or: (||) and ifTrue:ifFalse: sent to true or false with arguments that are no
     * literal blocks: what True's and False's methods answer (the receiver, or the chosen
     * argument's value), without a send, when the chosen argument answers itself to value
     * (Object>>value: a Boolean, nil, a SmallInteger); 0 when the send must happen (another
     * receiver, a block or any other object, whose value may be its own). So `a && b` costs no
     * frame, where it cost two (Boolean>>&&, True>>and:).
     */
    private long booleanAnswer(int op, long receiverAddress) {
        long r = getLong(receiverAddress);
        boolean t = r == u.trueObject;
        if (!t && r != u.falseObject) return 0;
        long v = switch (op) {
            case SEND_AND -> t ? getLong(receiverAddress + 8) : r;
            case SEND_OR -> t ? r : getLong(receiverAddress + 8);
            default -> getLong(receiverAddress + (t ? 8 : 16));
        };
        return v == u.trueObject || v == u.falseObject || v == u.nil || Tags.isSmallInteger(v) ? v : 0;
    }

    private static long smallFloatOrZero(double d) { return Tags.fitsSmallFloat(d) ? Tags.smallFloat(d) : 0; }

    /**
     * The condition of an inlined conditional. Anything but true or false is signalled as an
     * Error, which on:do: catches: its handler returns or retries, as an Error cannot resume.
     */
    private boolean bool(long v, int at) {
        if (v == u.trueObject) return true;
        if (v == u.falseObject) return false;
        String what = describeValue(v) + " is not a boolean (a conditional at bytecode " + at + " of " + describe(mirror) + " needs one)";
        signalFailure(new PrimitiveFailure(what));
        throw new SmalltalkError(what); // not reached: the signal does not answer
    }

    private long env(int depth) { return env(fp, depth); }

    private void pushGlobal(long symbol, int site) {
        if (u.globalSlot(symbol) < 0) {
            long cls = loader.load(u.stringValue(symbol));
            if (cls != 0) flushCaches();
        }
        int slot = u.globalSlot(symbol);
        if (slot >= 0) {
            mirror.icClass[site] = slot;
            push(u.globalAt(slot));
            return;
        }
        push(self());
        push(symbol);
        sendWithoutCache(symUnknownGlobal, 1); // this site's inline cache holds the global's slot once it is defined
    }

    private void pushBlock(long blockMethod) {
        MethodMirror m = mirrorOf(blockMethod);
        long closure = heap.allocatePointers(blockClassFor(m.numArgs), Format.FIXED_POINTERS, BLOCK_SLOTS);
        Layout.storeRaw(closure, BLOCK_METHOD, blockMethod);
        Layout.storeRaw(closure, BLOCK_RECEIVER, self());
        Layout.storeRaw(closure, BLOCK_OUTER_ENV, getLong(fp + 8L * ENV));
        push(closure); // young, just allocated: no barrier needed for its own slots
    }

    /** ^ in a block: return from the home method, unless it has returned already (escapedBlock:). */
    private boolean nonLocalReturn(int depth) {
        long value = pop();
        long home = Layout.fetch(env(depth), MethodHeader.ENV_HOME_FRAME);
        if (home == u.nil) {
            long closure = getLong(fp + 8L * CLOSURE);
            long result = send(symEscapedBlock, self(), closure);
            return returnFromFrame(result);
        }
        return unwindAndReturn(at(home, stack.base), value);
    }

    // ---------------------------------------------------------------- snapshots

    /**
     * system snapshot: — saves the heap as an image that, when started, resumes right here with
     * the send answering true. The stack (receiver and argument still on it) is copied into an
     * Array in the heap with the registers; frame links are offsets, so it is valid wherever the
     * new stack zone is mapped. Answers false (in the session that saved).
     */
    public long snapshot(java.nio.file.Path path, int nargs) {
        if (runDepth != 1) throw new PrimitiveFailure("snapshot: cannot be taken inside a nested run loop (an ensure block, a callback)");
        long resultSlot = sp - 8L * nargs;
        int words = (int) ((resultSlot - stack.base) >> 3) + 1;
        try (var s = heap.scope()) {
            var saved = heap.handle(u.newArray(words));
            for (int i = 0; i < words; i++) heap.store(saved, i, getLong(stack.base + 8L * i));
            heap.store(saved, words - 1, u.trueObject); // what snapshot: answers when the image resumes
            var state = heap.handle(u.newArray(3));
            heap.store(state, 0, saved.get());
            heap.store(state, 1, frameRef(fp));
            heap.store(state, 2, Tags.smallInteger(ip));
            heap.setSpecialObject(SPECIAL_RESUME, state.get());
            try {
                dev.lemming.interpreter.runtime.SourceMaps.writeWith(u, () -> dev.lemming.memory.image.ImageWriter.save(heap, path));
            } catch (dev.lemming.memory.HeapException e) {
                throw new PrimitiveFailure(e.getMessage()); // an Error the program can handle (a directory it cannot write, a full disk)
            } finally {
                heap.setSpecialObject(SPECIAL_RESUME, u.nil);
            }
        }
        return u.falseObject;
    }

    /** Continues an image saved by snapshot: (its state in the special objects); answers the program's result. */
    public long resume() {
        long state = heap.specialObject(SPECIAL_RESUME);
        long saved = heap.fetch(state, 0);
        int words = (int) heap.numSlots(saved);
        for (int i = 0; i < words; i++) putLong(stack.base + 8L * i, heap.fetch(saved, i));
        sp = stack.base + 8L * (words - 1);
        fp = frameAt(heap.fetch(state, 1));
        ip = (int) Tags.smallIntegerValue(heap.fetch(state, 2));
        heap.setSpecialObject(SPECIAL_RESUME, u.nil);
        // mirrors are caches of this process: give every frame the id of its method's new mirror
        for (long f = fp; f != 0; f = callerOf(f)) putLong(f + 8L * MIRROR, Tags.smallInteger(mirrorOf(getLong(f + 8L * Frame.METHOD)).id));
        mirror = mirrorAt(fp);
        return run();
    }

    // ---------------------------------------------------------------- services for primitives

    /** The block below {@code nargs} arguments on the stack starts running. */
    public void evaluateBlock(int nargs) { activateBlock(nargs, false); }

    /** `self restart`: the current frame starts over from its first bytecode. */
    public void restartCurrentFrame() { restartFrame(); }

    /**
     * perform: and friends. The stack holds the receiver and the primitive's {@code nargs}
     * arguments (selector, then an argument array and/or a class); they are replaced by the
     * receiver and the real arguments, and the message is sent.
     */
    public void perform(int nargs, long selector, long argArray, long lookupClass) {
        if (heap.classIndexOf(selector) != SYMBOL) throw new PrimitiveFailure(expectedInstanceOf("Symbol", selector)); // before the stack changes: signalled as an Error
        int k = 0;
        if (argArray != 0) {
            k = (int) heap.numSlots(argArray);
            int wanted = selectorArity(u.stringValue(selector));
            if (k != wanted) throw new PrimitiveFailure("Tried passing " + k + " arguments to a function that requires " + wanted + ".");
        }
        sp -= 8L * nargs;
        if (argArray != 0) {
            for (int i = 0; i < k; i++) push(heap.fetch(argArray, i));
        }
        if (lookupClass != 0) {
            long method = lookupInClass(lookupClass, selector);
            if (method == 0) { dispatchDoesNotUnderstand(selector, k, false); return; }
            invoke(mirrorOf(method), k, false);
        } else {
            sendWithoutCache(selector, k);
        }
    }

    /** Arguments a selector takes: one per colon, one for a binary selector. */
    static int selectorArity(String s) {
        int colons = (int) s.chars().filter(c -> c == ':').count();
        if (colons > 0) return colons;
        return !s.isEmpty() && !Character.isLetter(s.charAt(0)) ? 1 : 0;
    }

    /** Method>>invokeOn:with: — the stack holds the method, the receiver and the argument array. */
    public void invokeMethodOn(long method, long receiver, long argArray) {
        sp -= 8L * 3;
        push(receiver);
        int k = (int) heap.numSlots(argArray);
        for (int i = 0; i < k; i++) push(heap.fetch(argArray, i));
        MethodMirror m = mirrorOf(method);
        if (m.numArgs != k) throw new SmalltalkError(describe(m) + " takes " + m.numArgs + " argument(s), not " + k);
        invoke(m, k, false);
    }

    /** Makes the receiver's frame (a method calling `self restart` in a block) start over. */
    void restartFrame() {
        ip = 0;
        sp = fp + 8L * (HEADER + mirror.numTemps) - 8;
    }

    // ---------------------------------------------------------------- describing

    public String describe(MethodMirror m) {
        long holder = m.literal(MethodHeader.HOLDER);
        String h = holder == u.nil ? "?" : u.className(holder);
        return h + ">>#" + u.stringValue(m.literal(MethodHeader.SIGNATURE)) + (m.isBlock() ? " (block)" : "");
    }

    /** "Expected instance of 'Symbol' but got instance of 'String'.": the text SOM-st's IntegrationTests expect. */
    public String expectedInstanceOf(String className, long v) {
        return "Expected instance of '" + className + "' but got instance of '" + u.className(u.classOf(v)) + "'.";
    }

    public String describeValue(long v) {
        if (Tags.isSmallInteger(v)) return "the integer " + Tags.smallIntegerValue(v);
        if (v == u.nil) return "nil";
        long cls = u.classOf(v);
        String name = u.className(cls);
        return (name.matches("^[AEIOU].*") ? "an " : "a ") + name;
    }

    /** The Smalltalk backtrace of the current frames, innermost first. */
    public String backtrace() {
        StringBuilder sb = new StringBuilder();
        long f = fp;
        MethodMirror m = mirror;
        int at = ip;
        int count = 0;
        while (f != 0 && m != null) {
            if (count++ < 40) {
                MethodInstaller.SourceInfo info = u.sourceInfoOf(m.method);
                String where = info == null ? "" : " (" + info.file() + ":" + (at < info.lines().length ? info.lines()[Math.max(0, at - 1)] : 0) + ")";
                sb.append("  ").append(describe(m)).append(where).append('\n');
            }
            long caller = getLong(f + 8L * CALLER_FP);
            at = (int) Tags.smallIntegerValue(getLong(f + 8L * CALLER_IP));
            f = callerFp(caller, stack.base); // across run loops too: an entry frame knows the outer loop's frame
            m = f == 0 ? null : mirrors.get((int) Tags.smallIntegerValue(getLong(f + 8L * MIRROR)));
        }
        if (count > 40) sb.append("  ... ").append(count - 40).append(" more frames\n");
        return sb.toString();
    }

}
