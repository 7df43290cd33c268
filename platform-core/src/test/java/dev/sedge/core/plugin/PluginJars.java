package dev.sedge.core.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.module.ResolvedModule;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds real plugin jars for tests: compiles sources against the running API modules and jars them. */
final class PluginJars {

    private PluginJars() {
    }

    /**
     * Compiles {@code sources} (relative path to content; may include module-info.java and
     * META-INF/services files, which are copied as resources) into {@code jar}.
     */
    static Path build(Path work, Path jar, Map<String, String> sources) {
        try {
            Path src = Files.createTempDirectory(work, "src");
            Path classes = Files.createTempDirectory(work, "classes");
            List<String> javaFiles = new ArrayList<>();
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path file = src.resolve(e.getKey());
                Files.createDirectories(file.getParent() == null ? src : file.getParent());
                Files.writeString(file, e.getValue());
                if (e.getKey().endsWith(".java")) {
                    javaFiles.add(file.toString());
                } else {
                    Path resource = classes.resolve(e.getKey());
                    Files.createDirectories(resource.getParent());
                    Files.writeString(resource, e.getValue());
                }
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            List<String> args = new ArrayList<>(List.of("--release", "25", "-d", classes.toString()));
            boolean modular = sources.containsKey("module-info.java");
            args.add(modular ? "--module-path" : "--class-path");
            args.add(apiPath());
            args.addAll(javaFiles);
            StringWriter errors = new StringWriter();
            int rc = javac.run(null, null, new OutputStream() {
                @Override
                public void write(int b) {
                    errors.write(b);
                }
            }, args.toArray(String[]::new));
            if (rc != 0) {
                throw new IllegalStateException("test plugin does not compile:\n" + errors);
            }
            jar(classes, jar);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where dev.sedge.api and the modules it reads were loaded from. */
    static String apiPath() {
        return ModuleLayer.boot().configuration().modules().stream()
                .map(ResolvedModule::reference)
                .map(r -> r.location().orElse(null))
                .filter(l -> l != null && "file".equals(l.getScheme()))
                .map(URI::getPath)
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    static void jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }
}
