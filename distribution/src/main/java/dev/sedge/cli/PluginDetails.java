package dev.sedge.cli;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.core.plugin.PluginEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text form of {@code sedge plugins show}: each plugin in full, separated by a blank line. */
final class PluginDetails {

    private PluginDetails() {
    }

    /** @param entries the plugins to show, in the order given; not modified */
    static String render(List<PluginEntry> entries) {
        StringBuilder text = new StringBuilder();
        for (PluginEntry e : entries) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(one(e));
        }
        return text.toString();
    }

    private static String one(PluginEntry e) {
        PluginDescriptor d = e.descriptor();
        StringBuilder text = new StringBuilder();
        text.append(e.kind().id()).append(' ').append(e.name()).append(' ').append(e.version()).append('\n');
        text.append(TextColumns.align(List.of(
                List.of("  summary", d.summary()),
                List.of("  " + (e.builtIn() ? "module" : "jar"), e.location() + (e.builtIn() ? " (built-in)" : "")),
                List.of("  api level", Integer.toString(d.apiLevel())))));
        if (d.keys().isEmpty()) {
            text.append("  takes no configuration keys\n");
            return text.toString();
        }
        text.append("  configuration keys:\n");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("    KEY", "TYPE", "DEFAULT", "MEANING"));
        for (ConfigKey key : d.keys()) {
            rows.add(List.of("    " + key.name(), typeName(key), defaultText(key), key.meaning()));
        }
        text.append(TextColumns.align(rows));
        return text.toString();
    }

    static String typeName(ConfigKey key) {
        return key.type().name().toLowerCase(Locale.ROOT);
    }

    private static String defaultText(ConfigKey key) {
        return key.defaultValue().isEmpty() ? "\"\"" : key.defaultValue();
    }
}
