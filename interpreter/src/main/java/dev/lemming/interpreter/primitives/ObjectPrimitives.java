package dev.lemming.interpreter.primitives;

import dev.lemming.interpreter.exec.Interpreter;
import dev.lemming.interpreter.exec.PrimitiveSet;
import dev.lemming.interpreter.exec.Primitive;
import dev.lemming.interpreter.exec.PrimitiveFailure;
import dev.lemming.interpreter.runtime.ObjectModel;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Header;
import dev.lemming.memory.object.Layout;
import dev.lemming.memory.object.Tags;

import static dev.lemming.interpreter.primitives.Args.arg;
import static dev.lemming.interpreter.primitives.Args.receiver;
import static dev.lemming.interpreter.runtime.ObjectModel.*;

/** Object, Class, Array, Block and Method primitives. */
public final class ObjectPrimitives {
    private ObjectPrimitives() {}

    public static void install(PrimitiveSet p) {
        p.define("Object", "class", (in, n) -> in.u.classOf(receiver(in, n)));
        p.define("Object", "objectSize", (in, n) -> {
            long r = receiver(in, n);
            return Tags.smallInteger(Tags.isPointer(r) ? Layout.chunkSize(r) : 8);
        });
        p.define("Object", "==", (in, n) -> in.u.bool(receiver(in, n) == arg(in, n, 0)));
        p.define("Object", "hashcode", (in, n) -> Tags.smallInteger(in.heap.identityHash(receiver(in, n))));
        p.define("Object", "identityHash", (in, n) -> Tags.smallInteger(in.heap.identityHash(receiver(in, n))));
        p.define("Object", "inspect", (in, n) -> { System.out.println(in.describeValue(receiver(in, n))); return receiver(in, n); });
        p.define("Object", "halt", (in, n) -> receiver(in, n));
        p.define("Object", "perform:", (in, n) -> perform(in, n, false, false));
        p.define("Object", "perform:withArguments:", (in, n) -> perform(in, n, true, false));
        p.define("Object", "perform:inSuperclass:", (in, n) -> perform(in, n, false, true));
        p.define("Object", "perform:withArguments:inSuperclass:", (in, n) -> perform(in, n, true, true));
        p.define("Object", "instVarAt:", (in, n) -> {
            long r = receiver(in, n);
            long i = fieldIndex(in, r, arg(in, n, 0));
            return in.heap.fetch(r, i);
        });
        p.define("Object", "instVarAt:put:", (in, n) -> {
            long r = receiver(in, n), v = arg(in, n, 1);
            in.heap.store(r, fieldIndex(in, r, arg(in, n, 0)), v);
            return r;
        });
        p.define("Object", "instVarNamed:", (in, n) -> {
            long r = receiver(in, n);
            String name = Args.string(in, arg(in, n, 0), "the field name");
            int i = in.loader.fieldNames(in.u.classOf(r)).indexOf(name);
            if (i < 0) throw new PrimitiveFailure(in.describeValue(r) + " has no field named " + name);
            return in.heap.fetch(r, i);
        });
        p.define("Object", "instVarNamed:put:", (in, n) -> {
            long r = receiver(in, n), v = arg(in, n, 1);
            String name = Args.string(in, arg(in, n, 0), "the field name");
            int i = in.loader.fieldNames(in.u.classOf(r)).indexOf(name);
            if (i < 0) throw new PrimitiveFailure(in.describeValue(r) + " has no field named " + name);
            in.heap.store(r, i, v);
            return v;
        });

        p.define("Class", "name", (in, n) -> in.heap.fetch(receiver(in, n), CLASS_NAME));
        p.define("Class", "superclass", (in, n) -> in.heap.fetch(receiver(in, n), CLASS_SUPERCLASS));
        // a copy: storing into it must not rename the class's fields behind the compiled methods' back
        p.define("Class", "fields", (in, n) -> in.u.copyArray(in.heap.fetch(receiver(in, n), CLASS_FIELDS)));
        p.define("Class", "methods", (in, n) -> in.heap.fetch(receiver(in, n), CLASS_METHODS));
        p.define("Class", "new", (in, n) -> newInstance(in, receiver(in, n), 0));
        p.define("Class", "basicNew", (in, n) -> newInstance(in, receiver(in, n), 0));
        p.define("Array class", "new:", (in, n) -> newInstance(in, receiver(in, n), Args.smallInt(in, arg(in, n, 0), "the size")));

        p.define("Array", "at:", (in, n) -> {
            long a = receiver(in, n);
            return in.heap.fetch(a, index(in, a, arg(in, n, 0)));
        });
        p.define("Array", "at:put:", (in, n) -> {
            long a = receiver(in, n), v = arg(in, n, 1);
            in.heap.store(a, index(in, a, arg(in, n, 0)), v);
            return a; // the array, as SOM++ and som-java answer (and SOM-st's IntegrationTests expect)
        });
        p.define("Array", "length", (in, n) -> Tags.smallInteger(in.heap.numSlots(receiver(in, n)) - fixedFields(in, receiver(in, n))));

        Primitive value = (in, n) -> { in.evaluateBlock(n); return Primitive.DONE; };
        p.define("Block", "value", value);
        p.define("Block1", "value", value);
        p.define("Block2", "value:", value);
        p.define("Block3", "value:with:", value);
        p.define("Block", "value:", value);
        p.define("Block", "value:with:", value);
        p.define("Block", "value:value:", value);
        p.define("Block", "numArgs", (in, n) -> Tags.smallInteger(in.mirrorOf(in.heap.fetch(receiver(in, n), BLOCK_METHOD)).numArgs));
        p.define("Block", "restart", (in, n) -> { in.restartCurrentFrame(); return Primitive.DONE; });

        for (String cls : new String[]{"Method", "Primitive"}) {
            p.define(cls, "signature", (in, n) -> Layout.fetch(receiver(in, n), 1 + dev.lemming.interpreter.bytecode.MethodHeader.SIGNATURE));
            p.define(cls, "holder", (in, n) -> Layout.fetch(receiver(in, n), 1 + dev.lemming.interpreter.bytecode.MethodHeader.HOLDER));
            p.define(cls, "invokeOn:with:", (in, n) -> {
                long method = receiver(in, n), obj = arg(in, n, 0), args = arg(in, n, 1);
                in.invokeMethodOn(method, obj, args);
                return Primitive.DONE;
            });
        }
    }

    private static long perform(Interpreter in, int n, boolean withArgs, boolean inSuper) {
        long selector = arg(in, n, 0);
        long args = withArgs ? arg(in, n, 1) : 0;
        long cls = inSuper ? arg(in, n, n - 1) : 0;
        in.perform(n, selector, args, cls);
        return Primitive.DONE;
    }

    /** 1-based index into the indexable part, checked. */
    private static long index(Interpreter in, long a, long idx) {
        long i = Args.smallInt(in, idx, "the index");
        long fixed = fixedFields(in, a);
        long size = in.heap.numSlots(a) - fixed;
        if (i < 0) throw new PrimitiveFailure("Can't represent as unsigned machine integer."); // the IntegrationTests' text
        if (i < 1 || i > size) throw new PrimitiveFailure("Index " + i + " not valid for array of length " + size + ".");
        return fixed + i - 1;
    }

    static long fixedFields(Interpreter in, long a) {
        if (Header.format(Layout.header(a)) != Format.FIXED_AND_INDEXABLE_POINTERS) return 0;
        return ObjectModel.specFixedFields(Tags.smallIntegerValue(in.heap.fetch(in.u.classOf(a), CLASS_SPEC)));
    }

    private static long fieldIndex(Interpreter in, long r, long idx) {
        long i = Args.smallInt(in, idx, "the field index");
        // the fields are an array, as the IntegrationTests' text says
        if (!Tags.isPointer(r) || i < 1 || i > in.heap.numSlots(r))
            throw new PrimitiveFailure("Index " + i + " not valid for array of length " + (Tags.isPointer(r) ? in.heap.numSlots(r) : 0) + ".");
        return i - 1;
    }

    static long newInstance(Interpreter in, long cls, long size) {
        long spec = Tags.smallIntegerValue(in.heap.fetch(cls, CLASS_SPEC));
        int format = specFormat(spec), fixed = specFixedFields(spec);
        int ci = in.u.instanceIndex(cls);
        if (size < 0) throw new PrimitiveFailure("cannot make an object of negative size " + size);
        if (Format.isPointers(format)) {
            boolean indexable = format != Format.FIXED_POINTERS;
            return in.heap.allocatePointers(ci, format, fixed + (indexable ? size : 0));
        }
        if (Format.isBytes(format)) return in.heap.allocateBytes(ci, size);
        if (format == Format.WORDS) return in.heap.allocateWords(ci, size);
        throw new PrimitiveFailure("instances of " + in.u.className(cls) + " cannot be made with new");
    }
}
