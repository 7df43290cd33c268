package dev.sedge.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    @Test
    void keepsEveryRowUpToTheLimitAndBeyondItEachSeriesExtremesInFewRows() {
        assertEquals(Downsample.LIMIT, Downsample.rows(Downsample.LIMIT, new double[Downsample.LIMIT]).length);
        int n = 100_000;
        SplittableRandom random = new SplittableRandom(7);
        double[][] walks = new double[3][n];
        for (double[] walk : walks) {
            for (int i = 1; i < n; i++) {
                walk[i] = walk[i - 1] + random.nextGaussian();
            }
        }
        walks[1][54_321] = Double.NaN; // a gap is never an extreme
        int[] kept = Downsample.rows(n, walks);
        assertTrue(kept.length <= Downsample.BUCKETS * (2 + 2 * walks.length), kept.length + " rows");
        assertEquals(0, kept[0]);
        assertEquals(n - 1, kept[kept.length - 1]);
        for (double[] walk : walks) {
            int min = IntStream.range(0, n).filter(i -> !Double.isNaN(walk[i])).boxed()
                    .min((a, b) -> Double.compare(walk[a], walk[b])).orElseThrow();
            int max = IntStream.range(0, n).filter(i -> !Double.isNaN(walk[i])).boxed()
                    .max((a, b) -> Double.compare(walk[a], walk[b])).orElseThrow();
            assertTrue(Arrays.binarySearch(kept, min) >= 0 && Arrays.binarySearch(kept, max) >= 0,
                    "the series' global extremes are kept");
        }
    }

    @Test
    void aChartCarriesOnlyItsOwnColumnsRoundedToSixDigits() {
        SeriesTable table = new SeriesTable(new long[] {0, 10, 20}).with("a", new double[] {1.23456789, 2, Double.NaN})
                .with("b", new double[] {1e-12, 3, 4});
        ArrayNode rows = table.rows(List.of("a"));
        assertEquals(3, rows.size());
        assertEquals(1.23457, rows.get(0).get("a").asDouble());
        assertTrue(rows.get(2).get("a").isNull(), "NaN is a gap");
        assertFalse(rows.get(0).has("b"));
    }

    @Test
    void aRunsReportChartsItsMetricsWithTheDetectorsEventsAndItsProvenance() throws IOException {
        Path run = copyGoldenRun();
        Report report = RunPage.of(run);
        assertEquals(List.of("loss", "accuracy"), report.charts().stream().map(Report.Chart::id).toList());
        JsonNode loss = report.charts().getFirst().spec();
        JsonNode rules = loss.get("layer").get(1);
        assertEquals("rule", rules.get("mark").get("type").asText());
        assertEquals(174, rules.get("data").get("values").get(0).get("step").asLong());
        assertEquals("eigengap-slope: lock-in", rules.get("data").get("values").get(0).get("label").asText());
        Report.Table provenance = (Report.Table) report.sections().getLast();
        assertTrue(provenance.rows().contains(List.of("seed", "42")), provenance.rows().toString());
        assertTrue(report.subtitle().contains("seed 42"), report.subtitle());
    }

    @Test
    void writesOneSelfContainedPageAndEachSpecBesideIt() throws IOException {
        Report report = RunPage.of(copyGoldenRun());
        Report hostile = new Report("<script>alert(1)</script>", "a & b", report.sections());
        Path html = folder.resolve("out/page.html");
        Files.createDirectories(html.getParent());
        ReportWriter.write(hostile, html);
        String page = Files.readString(html);
        assertTrue(page.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"), "text is escaped");
        assertFalse(page.contains("<script src") || page.contains("<link "), "nothing is loaded from elsewhere");
        assertTrue(page.contains("University of Washington Interactive Data Lab"), "the libraries' notices");
        for (String library : ReportWriter.LIBRARIES) {
            assertTrue(page.contains(library + " " + ReportWriter.VERSIONS.get(ReportWriter.LIBRARIES.indexOf(library))));
        }
        for (Report.Chart chart : report.charts()) {
            Path spec = html.resolveSibling(ReportWriter.SPEC_FOLDER).resolve(chart.id() + ".vl.json");
            assertEquals(JSON.writeValueAsString(chart.spec()), JSON.writeValueAsString(JSON.readTree(spec.toFile())),
                    "the saved spec is the drawn one");
            assertEquals(VegaLite.SCHEMA, JSON.readTree(spec.toFile()).get("$schema").asText());
            assertTrue(page.contains("id=\"spec-" + chart.id() + "\""));
        }
        try (var leftovers = Files.list(html.getParent())) {
            assertEquals(List.of("page.html", "report"), leftovers.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file is left");
        }
    }

    @Test
    void aSpecCannotCloseItsScriptElement() {
        ArrayNode rows = VegaLite.rows();
        rows.addObject().put("category", "</script><script>alert(1)</script>").put("value", 1);
        Report report = new Report("t", "", List.of(new Report.Chart("c", "c", "", VegaLite.bars("v", rows, false, "x"))));
        String page = ReportWriter.html(report);
        assertFalse(page.contains("</script><script>alert(1)"), "the JSON is escaped inside its script element");
        assertTrue(page.contains("<\\/script><script>alert(1)<\\/script>"));
    }

    private Path copyGoldenRun() throws IOException {
        Path run = Files.createDirectories(folder.resolve("run"));
        for (String name : List.of("run.json", "metrics.csv", "events.json")) {
            try (var in = ReportTests.class.getResourceAsStream("/golden/run-v1/" + name)) {
                Files.copy(in, run.resolve(name));
            }
        }
        return run;
    }
}
