package dev.lemming.interpreter.primitives;

import dev.lemming.interpreter.bytecode.MethodHeader;
import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.exec.MethodMirror;
import dev.lemming.interpreter.exec.Primitive;
import dev.lemming.interpreter.exec.PrimitiveFailure;
import dev.lemming.interpreter.exec.PrimitiveSet;
import dev.lemming.memory.RawMemory;
import dev.lemming.memory.object.Tags;

import static dev.lemming.interpreter.primitives.Args.arg;
import static dev.lemming.interpreter.primitives.Args.receiver;

/**
 * The frame operations exceptions are built on. A frame is named by its tagged address (a
 * SmallInteger); handler frames are activations of Block>>on:do: (arguments: the exception
 * class and the handler block; first temp: whether the handler is active).
 */
public final class ExceptionPrimitives {
    private ExceptionPrimitives() {}

    public static void install(PrimitiveSet p) {
        p.flag("Block", "on:do:", MethodHeader.FLAG_HANDLER);
        p.flag("Block", "ensure:", MethodHeader.FLAG_UNWIND_PROTECT);
        p.flag("Block", "ifCurtailed:", MethodHeader.FLAG_UNWIND_PROTECT);

        p.define("Exception", "primCurrentFrame", (in, n) -> in.frameRef(in.currentFrame()));
        p.define("Exception", "primFindHandlerBelow:", (in, n) -> {
            long exception = receiver(in, n), below = arg(in, n, 0);
            long f = below == in.u.nil ? in.currentFrame() : in.callerOf(frame(in, below));
            for (; f != 0; f = in.callerOf(f)) {
                MethodMirror m = in.mirrorAt(f);
                if (!m.hasFlag(MethodHeader.FLAG_HANDLER)) continue;
                if (RawMemory.getLong(in.frameLocalAddress(f, 2)) != in.u.trueObject) continue; // handler running
                if (handles(in, RawMemory.getLong(in.frameLocalAddress(f, 0)), exception)) return in.frameRef(f);
            }
            return in.u.nil;
        });
        p.define("Exception", "primHandlerBlockOf:", (in, n) -> RawMemory.getLong(in.frameLocalAddress(frame(in, arg(in, n, 0)), 1)));
        p.define("Exception", "primHandlerOf:active:", (in, n) -> {
            RawMemory.putLong(in.frameLocalAddress(frame(in, arg(in, n, 0)), 2), arg(in, n, 1));
            return receiver(in, n);
        });
        p.define("Exception", "primReturn:from:", (in, n) -> {
            in.unwindToFrame(frame(in, arg(in, n, 1)), arg(in, n, 0), false);
            return Primitive.DONE;
        });
        p.define("Exception", "primRetry:", (in, n) -> {
            in.unwindToFrame(frame(in, arg(in, n, 0)), in.u.nil, true);
            return Primitive.DONE;
        });
        p.define("Exception", "primReplaceProtectedBlockOf:with:", (in, n) -> {
            RawMemory.putLong(in.frameReceiverAddress(frame(in, arg(in, n, 0))), arg(in, n, 1));
            return receiver(in, n);
        });
    }

    private static long frame(Interpreter in, long marker) {
        if (!Tags.isSmallInteger(marker) || marker == in.u.nil) throw new PrimitiveFailure("not a frame: " + in.describeValue(marker));
        long f = in.frameAt(marker);
        if (!in.isLiveFrame(f)) throw new PrimitiveFailure("the exception's handler frame has already returned");
        return f;
    }

    /** Does the handler's class (or ExceptionSet) take the exception? Done in Java: no Smalltalk runs during the search. */
    private static boolean handles(Interpreter in, long classOrSet, long exception) {
        if (in.u.isClass(classOrSet)) {
            long target = classOrSet;
            for (long c = in.u.classOf(exception); c != in.u.nil; c = in.u.superclass(c)) if (c == target) return true;
            return false;
        }
        if (in.u.className(in.u.classOf(classOrSet)).equals("ExceptionSet")) {
            long classes = in.heap.fetch(classOrSet, 0);
            for (long i = 0, k = in.heap.numSlots(classes); i < k; i++) if (handles(in, in.heap.fetch(classes, i), exception)) return true;
        }
        return false;
    }
}
