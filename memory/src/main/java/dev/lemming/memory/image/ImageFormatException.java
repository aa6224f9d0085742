package dev.lemming.memory.image;

import dev.lemming.memory.HeapException;

/** An image file that cannot be loaded: not an image, another version, truncated or corrupt. */
public final class ImageFormatException extends HeapException {
    public ImageFormatException(String message) { super(message); }
}
