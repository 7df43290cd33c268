package dev.sedge.core.plugin;

import dev.sedge.api.Plugin;
import dev.sedge.api.PluginDescriptor;
import java.util.Objects;

/**
 * One provider the registry accepted. Name, version and descriptor are read once, when the
 * plugin is loaded, so a listing never calls into plugin code again.
 *
 * @param kind       which SPI it provides
 * @param name       its {@link Plugin#name()}
 * @param version    its {@link Plugin#version()}
 * @param descriptor its {@link Plugin#descriptor()}
 * @param location   the module name of a built-in plugin, the jar (or folder) path of a third-party one
 * @param builtIn    whether it came with sedge (the boot layer) rather than the plugins folder
 * @param plugin     the provider itself
 */
public record PluginEntry(PluginKind kind, String name, String version, PluginDescriptor descriptor,
                          String location, boolean builtIn, Plugin plugin) {

    public PluginEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(plugin, "plugin");
    }

    /** {@code task/mod-add}: how provenance and messages name a plugin. */
    public String id() {
        return kind.id() + "/" + name;
    }
}
