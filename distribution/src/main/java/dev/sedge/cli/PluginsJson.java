package dev.sedge.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.core.plugin.PluginEntry;
import dev.sedge.core.plugin.PluginProblem;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON form of {@code sedge plugins} and {@code sedge plugins show} (one schema for both):
 *
 * <pre>{@code
 * {"format_version": 1,
 *  "plugins_folder": "/home/me/.sedge/plugins",
 *  "plugins": [{"kind", "name", "version", "location", "built_in", "summary", "api_level",
 *               "keys": [{"name", "type", "default", "meaning"}]}],
 *  "problems": [{"source", "message"}]}
 * }</pre>
 *
 * {@code type} is one of {@code int long double boolean string list}; {@code default} is the
 * text {@code --set} takes.
 */
final class PluginsJson {

    private PluginsJson() {
    }

    /** Renders {@code entries} and {@code problems} in the order given; neither is modified. */
    static String render(List<PluginEntry> entries, List<PluginProblem> problems, Path pluginsFolder) {
        ObjectNode root = JsonOutput.document();
        root.put("plugins_folder", pluginsFolder.toString());
        ArrayNode plugins = root.putArray("plugins");
        entries.forEach(e -> plugins.add(plugin(e)));
        ArrayNode problemNodes = root.putArray("problems");
        for (PluginProblem p : problems) {
            problemNodes.addObject().put("source", p.source()).put("message", p.message());
        }
        return JsonOutput.render(root);
    }

    private static ObjectNode plugin(PluginEntry e) {
        PluginDescriptor d = e.descriptor();
        ObjectNode node = JsonOutput.object()
                .put("kind", e.kind().id())
                .put("name", e.name())
                .put("version", e.version())
                .put("location", e.location())
                .put("built_in", e.builtIn())
                .put("summary", d.summary())
                .put("api_level", d.apiLevel());
        ArrayNode keys = node.putArray("keys");
        for (ConfigKey key : d.keys()) {
            keys.addObject()
                    .put("name", key.name())
                    .put("type", PluginDetails.typeName(key))
                    .put("default", key.defaultValue())
                    .put("meaning", key.meaning());
        }
        return node;
    }
}
