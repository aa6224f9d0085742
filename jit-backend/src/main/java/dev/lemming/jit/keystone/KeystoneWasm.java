package dev.lemming.jit.keystone;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import dev.lemming.jit.asm.Assembler;
import dev.lemming.jit.asm.AssemblyException;
import dev.lemming.jit.keystone.wasm.KeystoneModule;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Keystone 0.9.2 for x86-64, running as WebAssembly inside the JVM (Chicory; the module was
 * turned into JVM classes at build time from the npm package {@code @alexaltea/keystone-js}).
 * Follows {@code keystone.h}; the module's exports are minified, and {@code dist/keystone.js}
 * of that package maps them: v=__wasm_call_ctors, x=ks_errno, y=ks_strerror, A=ks_open,
 * B=ks_close, D=ks_free, E=ks_asm, G=malloc, H=free, u=memory.
 * <p>
 * Not thread-safe: one instance per thread that assembles (the JIT assembles its stencils once).
 */
public final class KeystoneWasm implements Assembler {
    public static final int KS_ARCH_X86 = 4, KS_MODE_64 = 8;

    private final Instance instance;
    private final Memory memory;
    private final ExportFunction ksErrno, ksStrerror, ksClose, ksFree, ksAsm, malloc, free;
    private final int handle;
    private boolean closed;

    public KeystoneWasm() {
        WasmModule module = KeystoneModule.load();
        instance = Instance.builder(module)
                .withImportValues(imports(module))
                .withMachineFactory(KeystoneModule::create)
                .build();
        memory = instance.memory();
        instance.export("v").apply(); // __wasm_call_ctors: without it every ks_asm fails with INVALIDOPERAND
        ksErrno = instance.export("x");
        ksStrerror = instance.export("y");
        ksClose = instance.export("B");
        ksFree = instance.export("D");
        ksAsm = instance.export("E");
        malloc = instance.export("G");
        free = instance.export("H");
        int handlePtr = (int) malloc.apply(4)[0];
        int err = (int) instance.export("A").apply(KS_ARCH_X86, KS_MODE_64, handlePtr)[0];
        if (err != 0) throw new IllegalStateException("ks_open(x86, 64) failed: " + strerror(err));
        handle = memory.readInt(handlePtr);
        free.apply(handlePtr);
    }

    @Override
    public String architecture() { return "x86-64"; }

    @Override
    public byte[] assemble(String source, long address) {
        if (closed) throw new IllegalStateException("Keystone is closed");
        byte[] text = source.getBytes(StandardCharsets.UTF_8);
        int src = (int) malloc.apply(text.length + 1L)[0];
        int out = (int) malloc.apply(12)[0]; // encoding*, size, count
        try {
            memory.write(src, text);
            memory.writeByte(src + text.length, (byte) 0);
            int rc = (int) ksAsm.apply(handle, src, address, out, out + 4, out + 8)[0];
            if (rc != 0) {
                int errno = (int) ksErrno.apply(handle)[0];
                throw new AssemblyException("Keystone: " + strerror(errno) + " (error " + errno + ", after "
                        + memory.readInt(out + 8) + " statement(s))", source);
            }
            int encoding = memory.readInt(out);
            int size = memory.readInt(out + 4);
            byte[] code = memory.readBytes(encoding, size);
            ksFree.apply(encoding);
            return code;
        } finally {
            free.apply(src);
            free.apply(out);
        }
    }

    private String strerror(int code) {
        return memory.readCString((int) ksStrerror.apply(code)[0]);
    }

    @Override
    public void close() {
        if (!closed) { closed = true; ksClose.apply(handle); }
    }

    /**
     * The module's 20 imports are Emscripten's syscalls and runtime hooks. An assembler needs
     * only three: getcwd (ks_asm asks for it), heap growth, and the abort paths, which become
     * Java exceptions. Everything else answers "not supported" (-ENOSYS / errno 52).
     */
    private ImportValues imports(WasmModule module) {
        var section = module.importSection();
        List<HostFunction> functions = new ArrayList<>();
        for (int i = 0; i < section.importCount(); i++) {
            if (!(section.getImport(i) instanceof FunctionImport fi)) continue;
            FunctionType type = module.typeSection().getType(fi.typeIndex());
            functions.add(new HostFunction(fi.module(), fi.name(), type, (inst, args) -> host(fi.name(), inst, args, type)));
        }
        return ImportValues.builder().withFunctions(new ArrayList<>(functions)).build();
    }

    private static long[] host(String name, Instance inst, long[] args, FunctionType type) {
        long result = switch (name) {
            case "o" -> { // getcwd(buf, size): "/"
                if (args[1] < 2) yield -34; // -ERANGE
                inst.memory().writeByte((int) args[0], (byte) '/');
                inst.memory().writeByte((int) args[0] + 1, (byte) 0);
                yield 2;
            }
            case "s" -> { // emscripten_resize_heap(requestedSize): grow to at least that many bytes
                long requested = args[0] & 0xFFFFFFFFL;
                long have = (long) inst.memory().pages() * Memory.PAGE_SIZE;
                int pages = (int) ((requested - have + Memory.PAGE_SIZE - 1) / Memory.PAGE_SIZE);
                yield pages <= 0 || inst.memory().grow(pages) >= 0 ? 1 : 0;
            }
            case "a", "t" -> throw new IllegalStateException("Keystone aborted (" + (name.equals("a") ? "__cxa_throw" : "abort") + ")");
            case "h" -> throw new IllegalStateException("Keystone called exit(" + args[0] + ")");
            case "m", "n" -> { // environ_get / environ_sizes_get: an empty environment
                if (name.equals("n")) { inst.memory().writeI32((int) args[0], 0); inst.memory().writeI32((int) args[1], 0); }
                yield 0;
            }
            case "c", "b", "i", "r", "j", "q" -> 52; // fd_*: ENOSYS as a WASI errno
            default -> -38; // syscalls: -ENOSYS
        };
        return type.returns().isEmpty() ? null : new long[] {result};
    }
}
