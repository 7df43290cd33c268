package dev.sedge.api;

/** Input data that cannot be read: a truncated or corrupt checkpoint, a header that disagrees with the file, tensors whose shapes differ between checkpoints, a pickle that asks for a forbidden global. */
public final class DataFormatException extends SedgeException {

    private static final long serialVersionUID = 1L;

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
