package dev.sedge.api;

/** A computation that cannot go on: NaN or infinity in an update, a loss or a spectrum; a decomposition that did not converge. */
public final class NumericException extends SedgeException {

    private static final long serialVersionUID = 1L;

    public NumericException(String message) {
        super(message);
    }

    public NumericException(String message, Throwable cause) {
        super(message, cause);
    }
}
