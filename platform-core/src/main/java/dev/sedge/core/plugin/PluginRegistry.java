package dev.sedge.core.plugin;

import dev.sedge.api.ConfigException;
import dev.sedge.api.Plugin;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every plugin sedge can use: the built-in providers found on the module path, and third-party
 * jars from a plugins folder, each loaded into its own child {@link ModuleLayer}.
 *
 * <p>The registry is the only singleton-like object of sedge: built once, then immutable and
 * passed by constructor. It is thread-safe. Whatever could not be loaded is listed in
 * {@link #problems()}, one line each, and everything else works.
 */
public final class PluginRegistry {

    private static final Comparator<PluginEntry> ORDER =
            Comparator.comparing(PluginEntry::kind).thenComparing(PluginEntry::name);

    private final List<PluginEntry> entries;
    private final List<PluginProblem> problems;
    private final Path pluginsFolder;

    PluginRegistry(List<PluginEntry> entries, List<PluginProblem> problems, Path pluginsFolder) {
        this.entries = entries.stream().sorted(ORDER).toList();
        this.problems = List.copyOf(problems);
        this.pluginsFolder = pluginsFolder;
    }

    /**
     * Loads the built-in plugins and every jar (or sub-folder of jars) in {@code pluginsFolder}.
     * A missing folder means no third-party plugins. Never throws for a bad plugin: see
     * {@link #problems()}.
     */
    public static PluginRegistry load(Path pluginsFolder) {
        return new RegistryLoader(pluginsFolder).load();
    }

    /**
     * A registry of exactly {@code plugins} (for embedding sedge, and for tests), checked by the
     * same rules as loaded ones; anything refused is in {@link #problems()}.
     */
    public static PluginRegistry of(Collection<? extends Plugin> plugins) {
        return new RegistryLoader(Path.of("(none)")).embed(plugins);
    }

    /** All accepted plugins, sorted by kind, then name. */
    public List<PluginEntry> entries() {
        return entries;
    }

    /** The accepted plugins of one kind, sorted by name. */
    public List<PluginEntry> entries(PluginKind kind) {
        return entries.stream().filter(e -> e.kind() == kind).toList();
    }

    /** Every plugin named {@code name}, of any kind (names are unique only within a kind). */
    public List<PluginEntry> find(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).toList();
    }

    /** What was skipped while loading, in the order it was met. */
    public List<PluginProblem> problems() {
        return problems;
    }

    /** The folder third-party plugins were loaded from. */
    public Path pluginsFolder() {
        return pluginsFolder;
    }

    /**
     * The provider of {@code spi} named {@code name}.
     *
     * @throws ConfigException naming the known providers of that kind, when there is none
     */
    public <T extends Plugin> T get(Class<T> spi, String name) {
        PluginKind kind = kindOf(spi);
        return entries(kind).stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .map(e -> spi.cast(e.plugin()))
                .orElseThrow(() -> new ConfigException("unknown " + kind.id() + " '" + name + "'; known "
                        + kind.id() + "s: " + entries(kind).stream().map(PluginEntry::name)
                        .collect(Collectors.joining(", "))
                        + ". Third-party plugins are loaded from " + pluginsFolder
                        + " (--plugins DIR or $" + PluginsFolder.ENV + ")"));
    }

    private static PluginKind kindOf(Class<?> spi) {
        for (PluginKind kind : PluginKind.values()) {
            if (kind.service() == spi) {
                return kind;
            }
        }
        throw new IllegalArgumentException(spi.getName() + " is not a sedge SPI");
    }
}
