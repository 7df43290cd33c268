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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick lock-in reproduction, x² half: {@code sedge reproduce lock-in --seeds 3 --conditions
 * x2,x2-no-wd --jobs 2 --sign-test-steps 300}, six full-size runs (400 epochs, K = 2048) as child
 * processes of the image's launcher, evaluated every 5 epochs. What the paper reports and this must
 * show (docs/reproductions.md): every x² run groks and fires within epochs 160–190, no x² control
 * fires, the late λ2/λ3 separates them at least 100×, the sign match at epoch 300 is at least 0.95,
 * and the level metric ρ crosses 0.075 in every x² run before its test accuracy reaches 0.5 and in no
 * control.
 */
class ReproduceLockInIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void xSquaredRunsFireAtLockInAndControlsNever() throws Exception {
        Path out = temp.resolve("reproduce-lock-in");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("sedge.image"), "bin", "sedge")
                .toString(), "--json", "reproduce", "lock-in", "--seeds", "3", "--conditions", "x2,x2-no-wd",
                "--jobs", "2", "--set", "train.eval-every=5", "--sign-test-steps", "300", "--out", out.toString()));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SEDGE_PLUGINS", temp.resolve("plugins").toString());
        env.remove("SEDGE_JAVA_OPTS");
        long started = System.nanoTime();
        ProcessRun run = ProcessRun.of(command, env, temp, temp, Duration.ofMinutes(25));
        System.out.printf("ReproduceLockInIT: 6 runs with 2 jobs in %.1f s%n", (System.nanoTime() - started) / 1e9);
        System.out.println(run.out());
        if (Files.exists(out.resolve("results.csv"))) {
            System.out.println(Files.readString(out.resolve("results.csv")));
        }

        assertEquals(Main.OK, run.code(), run.err());
        JsonNode result = JSON.readTree(run.out());
        JsonNode runs = result.get("runs");
        assertEquals(6, runs.size());
        for (JsonNode r : runs) {
            JsonNode fire = r.get("fire_step");
            JsonNode level = r.get("level_fire_step");
            if (r.get("condition").asText().equals("x2")) {
                assertTrue(r.get("grokked").asBoolean(), "x² run " + r + " groks");
                assertTrue(fire.isNumber() && fire.asLong() >= 160 && fire.asLong() <= 190,
                        "x² run " + r.get("run") + " fires within epochs 160–190: " + r);
                double sign = r.at("/sign_match/300").asDouble(Double.NaN);
                assertTrue(sign >= 0.95, "x² run " + r.get("run") + " has sign match >= 0.95 at epoch 300: " + r);
                assertTrue(level.isNumber() && level.asLong() < r.get("t50").asLong(),
                        "x² run " + r.get("run") + " has rho > 0.075 before test accuracy 0.5: " + r);
            } else {
                assertEquals("x2-no-wd", r.get("condition").asText());
                assertTrue(fire.isNull(), "x² control " + r.get("run") + " never fires: " + r);
                assertTrue(level.isNull(), "x² control " + r.get("run") + " never has rho > 0.075: " + r);
                assertTrue(r.get("sign_match").isNull(), "controls are not sign-tested (no weight decay): " + r);
            }
        }
        double separation = result.at("/summary/x2/separation").asDouble();
        assertTrue(separation >= 100, "late λ2/λ3 separation of x² runs over controls is >= 100x, found " + separation);

        // the reproduction's report: the paper-vs-sedge table first, then the sweep's charts, drawn by Chromium
        String page = Files.readString(out.resolve("report.html"));
        assertTrue(page.contains("Lock-in detector, Feature Repulsion paper (docs/science.md): paper vs sedge"), "the table");
        assertTrue(Files.isRegularFile(out.resolve("report/eigengap-slope-roc.vl.json")), "the ROC curve");
        Chromium.require(temp);
        Chromium.check(out.resolve("report.html"), "reproduce-lock-in", ReportBrowserIT.specs(out), temp);
    }
}
