package dev.sedge.api;

/** A configuration that cannot be used: an unknown key, a value that does not parse or is out of range, a missing file named by the config. */
public final class ConfigException extends SedgeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
