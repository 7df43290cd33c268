package dev.sedge.core.plugin;

import dev.sedge.api.Plugin;
import dev.sedge.api.PluginDescriptor;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds a {@link PluginRegistry}: built-ins first, then each plugin jar (or folder of jars) in
 * its own child layer, so one bad jar cannot take the others down. Not thread-safe; used once.
 */
final class RegistryLoader {

    private final Path folder;
    private final List<PluginEntry> accepted = new ArrayList<>();
    private final List<PluginProblem> problems = new ArrayList<>();
    private final Map<String, PluginEntry> byId = new HashMap<>();

    RegistryLoader(Path folder) {
        this.folder = folder;
    }

    /** @throws dev.sedge.api.ConfigException for a bad {@code -Dsedge.plugin.timeout}, once, before any plugin loads */
    PluginRegistry load() {
        PluginCall.timeLimit();
        ClassLoader loader = RegistryLoader.class.getClassLoader();
        for (PluginKind kind : PluginKind.values()) {
            collect(kind, ServiceLoader.load(kind.service(), loader), null, null);
        }
        for (Path source : sources()) {
            loadThirdParty(source);
        }
        return new PluginRegistry(accepted, problems, folder);
    }

    PluginRegistry embed(Collection<? extends Plugin> plugins) {
        for (Plugin plugin : plugins) {
            PluginKind kind = Arrays.stream(PluginKind.values())
                    .filter(k -> k.service().isInstance(plugin)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(plugin.getClass().getName()
                            + " implements no sedge SPI"));
            accept(kind, Loaded.of(plugin), "embedded", true);
        }
        return new PluginRegistry(accepted, problems, folder);
    }

    private List<Path> sources() {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(folder)) {
            return children
                    .filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            problems.add(new PluginProblem(folder.toString(), "cannot list the plugins folder: " + e.getMessage()));
            return List.of();
        }
    }

    /** One jar, or one folder holding a plugin jar and its dependencies, in a layer of its own. */
    private void loadThirdParty(Path source) {
        ModuleLayer parent = parentLayer();
        ModuleLayer layer;
        try {
            ModuleFinder finder = ModuleFinder.of(source);
            Set<String> roots = finder.findAll().stream()
                    .map(ModuleReference::descriptor)
                    .map(d -> d.name())
                    .collect(Collectors.toSet());
            if (roots.isEmpty()) {
                problems.add(new PluginProblem(source.toString(), "no module or jar found in it"));
                return;
            }
            Configuration configuration = parent.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
            layer = parent.defineModulesWithOneLoader(configuration, RegistryLoader.class.getClassLoader());
        } catch (RuntimeException | LinkageError e) {
            problems.add(new PluginProblem(source.toString(), "cannot be loaded as a module: " + reason(e)
                    + " (is it a valid jar built against dev.sedge.api?)"));
            return;
        }
        int before = accepted.size();
        int problemsBefore = problems.size();
        for (PluginKind kind : PluginKind.values()) {
            collect(kind, ServiceLoader.load(layer, kind.service()), layer, source);
        }
        if (accepted.size() == before && problems.size() == problemsBefore) {
            problems.add(new PluginProblem(source.toString(), "provides no sedge plugin (no `provides` "
                    + "clause or META-INF/services entry for a dev.sedge.api SPI)"));
        }
    }

    private static ModuleLayer parentLayer() {
        ModuleLayer own = RegistryLoader.class.getModule().getLayer();
        return own != null ? own : ModuleLayer.boot();
    }

    /**
     * Takes the providers of {@code kind} from {@code services}. For a plugin layer only those
     * defined in that layer count (ServiceLoader also returns the parent's).
     */
    private void collect(PluginKind kind, ServiceLoader<? extends Plugin> services, ModuleLayer layer, Path source) {
        for (ServiceLoader.Provider<? extends Plugin> provider : providers(services, source)) {
            if (layer != null && provider.type().getModule().getLayer() != layer) {
                continue;
            }
            String location = source != null ? source.toString() : provider.type().getModule().isNamed()
                    ? provider.type().getModule().getName() : "class path";
            try {
                accept(kind, PluginCall.run(kind.id() + " " + provider.type().getName() + " loading",
                        () -> Loaded.of(provider.get())), location, source == null);
            } catch (RuntimeException | ServiceConfigurationError | LinkageError e) {
                problems.add(new PluginProblem(location, kind.id() + " " + provider.type().getName()
                        + " failed while loading: " + reason(e)));
            }
        }
    }

    private List<ServiceLoader.Provider<? extends Plugin>> providers(ServiceLoader<? extends Plugin> services,
                                                                    Path source) {
        List<ServiceLoader.Provider<? extends Plugin>> found = new ArrayList<>();
        try {
            services.stream().forEach(found::add);
        } catch (ServiceConfigurationError e) {
            problems.add(new PluginProblem(source == null ? "built-in plugins" : source.toString(),
                    "a provider could not be listed: " + reason(e)));
        }
        return found;
    }

    /** A provider as made, with what it says of itself: every call the registry makes into it, made at once. */
    private record Loaded(Plugin plugin, String name, String version, PluginDescriptor descriptor) {
        static Loaded of(Plugin plugin) {
            return new Loaded(plugin, plugin.name(), plugin.version(), plugin.descriptor());
        }
    }

    private void accept(PluginKind kind, Loaded loaded, String location, boolean builtIn) {
        Plugin plugin = loaded.plugin();
        String name = loaded.name();
        if (name == null || !Plugin.NAME.matcher(name).matches()) {
            problems.add(new PluginProblem(location, kind.id() + " " + plugin.getClass().getName()
                    + " has an invalid name '" + name + "': names are lower-kebab-case, like mod-add"));
            return;
        }
        PluginDescriptor descriptor = loaded.descriptor();
        if (descriptor == null) {
            problems.add(new PluginProblem(location, kind.id() + " '" + name + "' returned no descriptor"));
            return;
        }
        if (descriptor.apiLevel() > PluginDescriptor.API_LEVEL) {
            problems.add(new PluginProblem(location, kind.id() + " '" + name + "' needs sedge API level "
                    + descriptor.apiLevel() + ", this sedge has API level " + PluginDescriptor.API_LEVEL
                    + ": upgrade sedge or use a version of the plugin built for this one"));
            return;
        }
        PluginEntry entry = new PluginEntry(kind, name, loaded.version(), descriptor, location, builtIn, plugin);
        PluginEntry clash = byId.putIfAbsent(entry.id(), entry);
        if (clash != null) {
            problems.add(new PluginProblem(location, kind.id() + " '" + name + "' is already provided by "
                    + clash.location() + "; remove one of the two (names are unique within a kind)"));
            return;
        }
        accepted.add(entry);
    }

    private static String reason(Throwable e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        String own = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return cause == null || cause == e ? own : own + " (caused by " + reason(cause) + ")";
    }

}
