package dev.sedge.api;

/** A plugin that cannot be used: it failed to load, threw, declared a bad name or descriptor, needs a newer API level, or clashes with another plugin's name. */
public final class PluginException extends SedgeException {

    private static final long serialVersionUID = 1L;

    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
