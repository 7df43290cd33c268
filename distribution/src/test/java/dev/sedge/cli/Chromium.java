package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium (Debian's package) for the report tests: installed on first use where it is missing and
 * the test runs as root (apt-get), else the test is skipped saying why. It loads a report offline, waits for
 * its charts, and reads what the page recorded in {@code #report-status} (ReportWriter): every chart drew data
 * marks and nothing reached the console as an error. A screenshot of each report is kept in
 * {@code target/report-screenshots/} as a build artefact.
 */
final class Chromium {

    private static final Path BINARY = Path.of("/usr/bin/chromium");
    /** The flags a closed network wants (no background connections) and a root user needs (no sandbox). */
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--virtual-time-budget=30000");
    private static final Pattern STATUS = Pattern.compile("<p id=\"report-status\"([^>]*)>([^<]*)</p>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-z-]+)=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Boolean available;

    private Chromium() {
    }

    /** Skips the calling test, saying why, when Chromium is not here and cannot be installed. */
    static synchronized void require(Path scratch) throws Exception {
        if (available == null) {
            if (!Files.isExecutable(BINARY) && "root".equals(System.getProperty("user.name"))) {
                System.out.println("Chromium: installing Debian's package (apt-get install -y chromium)");
                List<String> install = List.of("apt-get", "install", "-y", "--no-install-recommends", "chromium");
                ProcessRun first = ProcessRun.of(install, withFrontend(), scratch, scratch, Duration.ofMinutes(10));
                if (first.code() != 0) { // stale package lists on a fresh machine
                    ProcessRun.of(List.of("apt-get", "update"), withFrontend(), scratch, scratch, Duration.ofMinutes(5));
                    ProcessRun second = ProcessRun.of(install, withFrontend(), scratch, scratch, Duration.ofMinutes(10));
                    if (second.code() != 0) {
                        System.out.println("Chromium: apt-get install failed: " + second.err());
                    }
                }
            }
            available = Files.isExecutable(BINARY);
        }
        Assumptions.assumeTrue(available, "the browser test needs Debian's Chromium (/usr/bin/chromium): not installed,"
                + " and apt-get install -y chromium is not possible here (not root, or no package registry)");
    }

    private static Map<String, String> withFrontend() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DEBIAN_FRONTEND", "noninteractive");
        return env;
    }

    /**
     * Loads {@code html} offline and checks it: state done, {@code charts} charts each with data marks, no errors.
     * Keeps a screenshot as {@code target/report-screenshots/<name>.png}.
     *
     * @return the page's status ({@code charts}, {@code drawn}, {@code marks}, {@code errors})
     */
    static JsonNode check(Path html, String name, int charts, Path scratch) throws Exception {
        Path profile = Files.createTempDirectory(scratch, "chromium-");
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        command.addAll(FLAGS);
        command.add("--user-data-dir=" + profile);
        command.add("--dump-dom");
        command.add(html.toUri().toString());
        ProcessRun dump = ProcessRun.of(command, System.getenv(), scratch, scratch, Duration.ofMinutes(3));
        assertEquals(0, dump.code(), "chromium --dump-dom " + html + ": " + dump.err());
        Matcher status = STATUS.matcher(dump.out());
        assertTrue(status.find(), "the report has no #report-status: " + html);
        Map<String, String> attributes = new HashMap<>();
        Matcher a = ATTRIBUTE.matcher(status.group(1));
        while (a.find()) {
            attributes.put(a.group(1), a.group(2).replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<")
                    .replace("&gt;", ">"));
        }
        JsonNode recorded = JSON.readTree(attributes.getOrDefault("data-status", "{}"));
        System.out.printf("Chromium: %s: %s (%s)%n", name, status.group(2), recorded.path("marks"));
        assertEquals("done", attributes.get("data-state"), name + ": " + status.group(2) + " " + recorded);
        assertEquals(List.of(), JSON.convertValue(recorded.path("errors"), List.class), name + ": console errors");
        assertEquals(charts, recorded.path("charts").asInt(), name + ": charts on the page " + recorded);
        assertEquals(charts, recorded.path("drawn").asInt(), name + ": charts that drew data marks " + recorded);
        recorded.path("marks").properties().forEach(m -> assertTrue(m.getValue().asInt() > 0, name + ": chart "
                + m.getKey() + " drew no data marks"));
        Path shots = Files.createDirectories(Path.of(System.getProperty("sedge.image")).getParent()
                .resolve("report-screenshots"));
        List<String> shot = new ArrayList<>(List.of(BINARY.toString()));
        shot.addAll(FLAGS);
        shot.addAll(List.of("--user-data-dir=" + profile, "--window-size=1200,3000",
                "--screenshot=" + shots.resolve(name + ".png"), html.toUri().toString()));
        ProcessRun picture = ProcessRun.of(shot, System.getenv(), scratch, scratch, Duration.ofMinutes(3));
        assertEquals(0, picture.code(), "chromium --screenshot: " + picture.err());
        return recorded;
    }
}
