package dev.sedge.api;

/**
 * The one exception hierarchy of sedge. Unchecked; each subtype is a class of failure the
 * command line maps to an exit code (config 2, plugin 3, data 4, numeric 5).
 *
 * <p>A message says what failed, where (plugin, key, file, tensor, step), what was expected
 * against what was found, and what to do.
 */
public abstract sealed class SedgeException extends RuntimeException
        permits ConfigException, PluginException, DataFormatException, NumericException {

    private static final long serialVersionUID = 1L;

    protected SedgeException(String message) {
        super(message);
    }

    protected SedgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
