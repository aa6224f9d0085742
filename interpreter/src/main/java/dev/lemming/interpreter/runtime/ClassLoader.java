package dev.lemming.interpreter.runtime;

import dev.lemming.interpreter.compiler.Ast;
import dev.lemming.interpreter.compiler.CompiledCode;
import dev.lemming.interpreter.compiler.Compiler;
import dev.lemming.interpreter.compiler.Parser;
import dev.lemming.memory.Heap;
import dev.lemming.memory.object.Format;
import dev.lemming.memory.object.Tags;
import dev.lemming.memory.roots.Handle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static dev.lemming.interpreter.runtime.ObjectModel.*;

/**
 * Finds class sources on the class path (the user's entries, then Lemming's core library),
 * compiles them and installs the classes: class object, metaclass, methods, global.
 */
public final class ClassLoader {
    /** The classes the VM itself refers to, with their fixed class indices and instance formats. */
    public record WellKnown(String name, int index, int format) {}

    public static final List<WellKnown> WELL_KNOWN = List.of(
            new WellKnown("Object", OBJECT, Format.FIXED_POINTERS),
            new WellKnown("Class", CLASS, Format.FIXED_POINTERS),
            new WellKnown("Metaclass", METACLASS, Format.FIXED_POINTERS),
            new WellKnown("Nil", NIL, Format.FIXED_POINTERS),
            new WellKnown("Array", ARRAY, Format.INDEXABLE_POINTERS),
            new WellKnown("ByteArray", BYTE_ARRAY, Format.BYTES),
            new WellKnown("String", STRING, Format.BYTES),
            new WellKnown("Symbol", SYMBOL, Format.BYTES),
            new WellKnown("Method", METHOD, Format.COMPILED_METHOD),
            new WellKnown("Primitive", PRIMITIVE, Format.COMPILED_METHOD),
            new WellKnown("Block", BLOCK, Format.FIXED_POINTERS),
            new WellKnown("Block1", BLOCK1, Format.FIXED_POINTERS),
            new WellKnown("Block2", BLOCK2, Format.FIXED_POINTERS),
            new WellKnown("Block3", BLOCK3, Format.FIXED_POINTERS),
            new WellKnown("Boolean", BOOLEAN, Format.FIXED_POINTERS),
            new WellKnown("True", TRUE, Format.FIXED_POINTERS),
            new WellKnown("False", FALSE, Format.FIXED_POINTERS),
            new WellKnown("System", SYSTEM, Format.FIXED_POINTERS),
            new WellKnown("Integer", SMALL_INTEGER, Format.BYTES),
            new WellKnown("Double", SMALL_FLOAT, Format.WORDS));

    private final Universe u;
    private final Heap heap;
    private final List<Path> classPath;
    private final PrimitiveTable primitives;
    private final MethodInstaller installer;

    public ClassLoader(Universe u, List<Path> classPath, PrimitiveTable primitives) {
        this.u = u;
        this.heap = u.heap;
        this.classPath = List.copyOf(classPath);
        this.primitives = primitives;
        this.installer = new MethodInstaller(u);
    }

    public List<Path> classPath() { return classPath; }

    /** Told when a class that defines isNil or notNil has been defined (the interpreter tests for nil where they are standard). */
    private Runnable nilTestsRedefined = () -> {};
    public void onNilTestsRedefined(Runnable r) { nilTestsRedefined = r; }

    /** Builds every well-known class from source (superclasses first). */
    public void bootstrapClasses() {
        List<Ast.ClassDef> defs = new ArrayList<>();
        for (WellKnown w : WELL_KNOWN) {
            Ast.ClassDef d = parse(w.name());
            if (d == null) throw new LoadError("cannot find the core class " + w.name() + " on the class path " + classPath);
            defs.add(d);
        }
        // shells first: every well-known class exists before any is defined (Object's metaclass inherits from Class)
        for (int i = 0; i < defs.size(); i++) {
            WellKnown w = WELL_KNOWN.get(i);
            long cls = createShell(w.name(), classSideFieldCount(defs, defs.get(i)));
            heap.installClass(w.index(), cls);
            if (w.index() == SMALL_INTEGER) { heap.installClass(LARGE_INTEGER, cls); heap.installClass(SMALL_INTEGER, cls); }
            if (w.index() == SMALL_FLOAT) { heap.installClass(BOXED_DOUBLE, cls); heap.installClass(SMALL_FLOAT, cls); }
            heap.store(cls, CLASS_SPEC, Tags.smallInteger(spec(w.format(), 0)));
            u.setGlobal(u.symbol(w.name()), cls);
        }
        // environments are arrays to the memory, but their own class keeps them out of user sight
        heap.installClass(ENVIRONMENT, u.classAt(ARRAY));
        heap.installClass(ARRAY, u.classAt(ARRAY));
        for (int i = 0; i < defs.size(); i++) define(u.classAt(WELL_KNOWN.get(i).index()), defs.get(i));
        u.setGlobal(u.symbol("nil"), u.nil);
        u.setGlobal(u.symbol("true"), u.trueObject);
        u.setGlobal(u.symbol("false"), u.falseObject);
        u.setGlobal(u.symbol("system"), u.system);
    }

    private int classSideFieldCount(List<Ast.ClassDef> defs, Ast.ClassDef d) {
        int n = d.classFields().size();
        String sup = d.superclass();
        while (!sup.equals("nil")) {
            Ast.ClassDef sd = null;
            for (Ast.ClassDef x : defs) if (x.name().equals(sup)) sd = x;
            if (sd == null) break;
            n += sd.classFields().size();
            sup = sd.superclass();
        }
        return n;
    }

    /** Loads the class named {@code name} from the class path; answers it, or 0 if there is no such file. */
    public long load(String name) {
        Ast.ClassDef d = parse(name);
        if (d == null) return 0;
        if (!d.name().equals(name))
            throw new LoadError(d.file() + " defines class " + d.name() + " but its file name says " + name);
        return install(d);
    }

    /** Installs a parsed class (replacing one of the same name). */
    public long install(Ast.ClassDef d) {
        long superclass = resolveSuperclass(d);
        int inheritedClassFields = superclass == u.nil ? 0 : (int) heap.numSlots(superclass) - CLASS_SLOTS;
        long cls;
        try (var s = heap.scope()) {
            Handle sup = heap.handle(superclass);
            cls = createShell(d.name(), inheritedClassFields + d.classFields().size());
            Handle c = heap.handle(cls);
            heap.registerClass(c.get());
            long supSpec = sup.get() == u.nil ? spec(Format.FIXED_POINTERS, 0) : Tags.smallIntegerValue(heap.fetch(sup.get(), CLASS_SPEC));
            heap.store(c, CLASS_SPEC, Tags.smallInteger(supSpec));
            u.setGlobal(u.symbol(d.name()), c.get());
            define(c.get(), d);
            cls = c.get();
        }
        return cls;
    }

    private long resolveSuperclass(Ast.ClassDef d) {
        if (d.superclass().equals("nil")) return u.nil;
        long sym = u.symbol(d.superclass());
        long sup = u.global(sym);
        if (sup == 0) sup = load(d.superclass());
        if (sup == 0 || !u.isClass(sup)) throw new LoadError(d.file() + ": the superclass " + d.superclass() + " of " + d.name() + " does not exist");
        return sup;
    }

    /** A class and its metaclass with empty method and field arrays; the class has {@code classFields} extra slots. */
    private long createShell(String name, int classFields) {
        try (var s = heap.scope()) {
            Handle meta = heap.handle(heap.allocatePointers(METACLASS, Format.FIXED_POINTERS, CLASS_SLOTS));
            heap.store(meta, CLASS_METHODS, u.newArray(0));
            heap.store(meta, CLASS_NAME, u.symbol(name + " class"));
            heap.store(meta, CLASS_FIELDS, u.newArray(0));
            heap.store(meta, CLASS_SPEC, Tags.smallInteger(spec(Format.FIXED_POINTERS, CLASS_SLOTS + classFields)));
            int metaIndex = heap.registerClass(meta.get());
            Handle cls = heap.handle(heap.allocatePointers(metaIndex, Format.FIXED_POINTERS, CLASS_SLOTS + classFields));
            heap.store(cls, CLASS_METHODS, u.newArray(0));
            heap.store(cls, CLASS_NAME, u.symbol(name));
            heap.store(cls, CLASS_FIELDS, u.newArray(0));
            return cls.get();
        }
    }

    /** Fills in superclass, fields and methods of {@code cls} and its metaclass from {@code d}. */
    private void define(long clsRef, Ast.ClassDef d) {
        try (var s = heap.scope()) {
            Handle cls = heap.handle(clsRef);
            long superclass = resolveSuperclass(d);
            Handle sup = heap.handle(superclass);
            long meta = u.classOf(cls.get());
            heap.store(cls, CLASS_SUPERCLASS, sup.get());
            heap.store(meta, CLASS_SUPERCLASS, sup.get() == u.nil ? u.classAt(CLASS) : u.classOf(sup.get()));

            List<String> superFields = sup.get() == u.nil ? List.of() : fieldNames(sup.get());
            for (String f : d.instanceFields())
                if (superFields.contains(f)) throw new LoadError(d.file() + ": class " + d.name() + ": Field '" + f + "' is already defined in a superclass.");
            List<String> fields = new ArrayList<>(superFields);
            fields.addAll(d.instanceFields());
            heap.store(cls, CLASS_FIELDS, symbolArray(fields));
            long sp = Tags.smallIntegerValue(heap.fetch(cls.get(), CLASS_SPEC));
            int format = specFormat(sp);
            if (format == Format.INDEXABLE_POINTERS && !fields.isEmpty()) format = Format.FIXED_AND_INDEXABLE_POINTERS;
            heap.store(cls, CLASS_SPEC, Tags.smallInteger(spec(format, fields.size())));

            List<String> classFields = new ArrayList<>(Collections.nCopies(CLASS_SLOTS, (String) null));
            if (sup.get() != u.nil) classFields.addAll(fieldNames(u.classOf(sup.get())));
            for (String f : d.classFields())
                if (classFields.contains(f)) throw new LoadError(d.file() + ": class " + d.name() + ": class-side field '" + f + "' is already defined in a superclass.");
            classFields.addAll(d.classFields());
            long classFieldNames = symbolArray(classFields.subList(CLASS_SLOTS, classFields.size())); // allocates: before the class is read
            heap.store(u.classOf(cls.get()), CLASS_FIELDS, classFieldNames);

            heap.store(cls, CLASS_METHODS, installMethods(cls, d.name(), d.instanceMethods(), fields, d));
            long methods = installMethods(heap.handle(u.classOf(cls.get())), d.name() + " class", d.classMethods(), classFields, d);
            heap.store(u.classOf(cls.get()), CLASS_METHODS, methods);
            if (definesNilTest(d.instanceMethods()) || definesNilTest(d.classMethods())) nilTestsRedefined.run();
        }
    }

    private static boolean definesNilTest(List<Ast.MethodDef> defs) {
        for (Ast.MethodDef m : defs) if (m.selector().equals("isNil") || m.selector().equals("notNil")) return true;
        return false;
    }

    public List<String> fieldNames(long cls) {
        long a = heap.fetch(cls, CLASS_FIELDS);
        List<String> out = new ArrayList<>();
        for (long i = 0, n = heap.numSlots(a); i < n; i++) out.add(u.stringValue(heap.fetch(a, i)));
        return out;
    }

    private long symbolArray(List<String> names) {
        try (var s = heap.scope()) {
            Handle a = heap.handle(u.newArray(names.size()));
            for (int i = 0; i < names.size(); i++) heap.store(a, i, u.symbol(names.get(i)));
            return a.get();
        }
    }

    private long installMethods(Handle holder, String holderName, List<Ast.MethodDef> defs, List<String> fields, Ast.ClassDef d) {
        try (var s = heap.scope()) {
            Handle methods = heap.handle(u.newArray(defs.size()));
            for (int i = 0; i < defs.size(); i++) {
                Ast.MethodDef m = defs.get(i);
                CompiledCode code = Compiler.compile(d.file(), sourceOf(d), m, fields);
                int prim = code.isPrimitive() ? primitives.primitiveFor(holderName, m.selector()) : 0;
                int flags = primitives.flagsFor(holderName, m.selector());
                long method = installer.install(code, holder.get(), prim, flags);
                heap.store(methods, i, method);
            }
            return methods.get();
        }
    }

    // ---------------------------------------------------------------- sources

    private final java.util.Map<String, String> sources = new java.util.HashMap<>();

    private String sourceOf(Ast.ClassDef d) { return sources.getOrDefault(d.file(), ""); }

    /** Parses Name.som from the first class-path entry that has it, or answers null. */
    public Ast.ClassDef parse(String name) {
        for (Path dir : classPath) {
            Path f = dir.resolve(name + ".som");
            if (Files.isRegularFile(f)) {
                try {
                    String src = readSource(f);
                    sources.put(f.toString(), src);
                    return Parser.parseClass(f.toString(), src);
                } catch (IOException e) {
                    throw new LoadError("cannot read " + f + ": " + e.getMessage());
                }
            }
        }
        try (InputStream in = ClassLoader.class.getResourceAsStream("/core/" + name + ".som")) {
            if (in == null) return null;
            String file = "core/" + name + ".som";
            String src = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            sources.put(file, src);
            return Parser.parseClass(file, src);
        } catch (IOException e) {
            throw new LoadError("cannot read the core class " + name + ": " + e.getMessage());
        }
    }

    /**
     * Compiles and installs the class a source file given by path defines, whatever its name
     * (the file was named by the user, not looked up by a class name); answers the class's name.
     */
    public String loadFile(Path file) {
        try {
            String src = readSource(file);
            sources.put(file.toString(), src);
            Ast.ClassDef d = Parser.parseClass(file.toString(), src);
            install(d);
            return d.name();
        } catch (IOException e) {
            throw new LoadError("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Whether a class was compiled from {@code file} in this session (by name or as a file given by path). */
    public boolean loaded(Path file) {
        Path f = file.toAbsolutePath().normalize();
        for (String k : sources.keySet()) if (Path.of(k).toAbsolutePath().normalize().equals(f)) return true;
        return false;
    }

    /** A source file's text; one that is not UTF-8 is refused where its first bad byte is. */
    private static String readSource(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        var decoder = StandardCharsets.UTF_8.newDecoder();
        var in = java.nio.ByteBuffer.wrap(bytes);
        var out = java.nio.CharBuffer.allocate(bytes.length);
        var result = decoder.decode(in, out, true);
        if (result.isError()) {
            int at = in.position(), line = 1, column = 1;
            for (int i = 0; i < at; i++) { if (bytes[i] == '\n') { line++; column = 1; } else column++; }
            throw new LoadError(file + ":" + line + ":" + column + ": not UTF-8 text (byte 0x"
                    + Integer.toHexString(bytes[at] & 0xFF) + "); SOM sources are read as UTF-8");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** A class that cannot be loaded: printed as one line. */
    public static final class LoadError extends RuntimeException {
        public LoadError(String message) { super(message); }
    }

}
