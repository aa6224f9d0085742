package dev.lemming.interpreter.runtime;

/** What the method installer asks the interpreter about methods declared `= primitive`. */
public interface PrimitiveTable {
    /** The primitive number of Class>>selector ("Foo class" for class side), or 0 if there is none. */
    int primitiveFor(String className, String selector);

    /** Extra method flags (MethodHeader.FLAG_*) for Class>>selector. */
    int flagsFor(String className, String selector);
}
