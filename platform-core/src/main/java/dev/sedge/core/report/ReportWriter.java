package dev.sedge.core.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sedge.core.io.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a {@link Report} as one HTML file that opens offline (docs/reports.md): Vega, Vega-Lite and
 * vega-embed inlined (their licences in a comment), every chart's spec inline, rendered as SVG with
 * vega-embed's menu (export to SVG and PNG, view the source), and each spec also saved as
 * {@code report/<id>.vl.json} beside the HTML, for Altair and the Vega editor. Both are written atomically.
 *
 * <p>The page records how its charts drew in the element {@code #report-status}: {@code data-state}
 * becomes {@code done} once every chart has rendered or failed, and {@code data-status} holds
 * {@code {"charts", "drawn", "marks": {id: data marks drawn}, "errors": [...]}}, uncaught errors and
 * {@code console.error} calls included. The browser test reads it; a reader sees "7 of 7 charts drawn".
 * Stateless and thread-safe.
 */
public final class ReportWriter {

    /** The scripts inlined, in load order (each a UMD build that sets a global: vega, vegaLite, vegaEmbed). */
    static final List<String> LIBRARIES = List.of("vega", "vega-lite", "vega-embed");
    /** Their pinned versions (platform-core/pom.xml fetches exactly these). */
    static final List<String> VERSIONS = List.of("6.4.0", "6.5.0", "7.3.0");
    /** The folder beside the HTML that holds the specs. */
    public static final String SPEC_FOLDER = "report";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private ReportWriter() {
    }

    /**
     * Writes {@code report} to {@code html} and its specs to {@code report/} beside it, replacing what is there.
     *
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public static void write(Report report, Path html) {
        Path specs = html.toAbsolutePath().resolveSibling(SPEC_FOLDER);
        try {
            Files.createDirectories(specs);
            for (Report.Chart chart : report.charts()) {
                AtomicFile.writeString(specs.resolve(chart.id() + ".vl.json"), JSON.writeValueAsString(chart.spec()) + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report's specs into " + specs + ": " + e.getMessage(), e);
        }
        AtomicFile.writeString(html, html(report));
    }

    /** The page. */
    static String html(Report report) {
        StringBuilder out = new StringBuilder(1 << 20);
        out.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(report.title())).append(" · sedge report</title>\n<style>").append(STYLE).append("</style>\n");
        out.append("<!-- ").append(notices().replace("--", "- -")).append(" -->\n");
        for (String library : LIBRARIES) {
            out.append("<script>").append(asset(library + ".min.js").replace("</script", "<\\/script")).append("</script>\n");
        }
        out.append("</head>\n<body>\n<header>\n<h1>").append(escape(report.title())).append("</h1>\n");
        if (!report.subtitle().isEmpty()) {
            out.append("<p class=\"subtitle\">").append(escape(report.subtitle())).append("</p>\n");
        }
        out.append("<p id=\"report-status\" data-state=\"drawing\">drawing ").append(report.charts().size())
                .append(" charts…</p>\n</header>\n<main>\n");
        for (Report.Section section : report.sections()) {
            switch (section) {
                case Report.Chart chart -> {
                    out.append("<section class=\"chart\">\n<h2>").append(escape(chart.title())).append("</h2>\n<div id=\"chart-")
                            .append(chart.id()).append("\"></div>\n");
                    if (!chart.caption().isEmpty()) {
                        out.append("<p class=\"caption\">").append(escape(chart.caption())).append("</p>\n");
                    }
                    out.append("<p class=\"spec\">spec: <code>").append(SPEC_FOLDER).append('/').append(chart.id())
                            .append(".vl.json</code></p>\n");
                    out.append("<script type=\"application/json\" id=\"spec-").append(chart.id()).append("\">")
                            .append(inlineJson(chart)).append("</script>\n</section>\n");
                }
                case Report.Table table -> {
                    out.append("<section class=\"table\">\n<h2>").append(escape(table.title())).append("</h2>\n<table>\n<tr>");
                    table.header().forEach(h -> out.append("<th>").append(escape(h)).append("</th>"));
                    out.append("</tr>\n");
                    for (List<String> row : table.rows()) {
                        out.append("<tr>");
                        row.forEach(c -> out.append("<td>").append(escape(c)).append("</td>"));
                        out.append("</tr>\n");
                    }
                    out.append("</table>\n</section>\n");
                }
            }
        }
        out.append("</main>\n<footer>Made by sedge. Charts by Vega ").append(VERSIONS.get(0)).append(", Vega-Lite ")
                .append(VERSIONS.get(1)).append(" and vega-embed ").append(VERSIONS.get(2))
                .append(" (BSD-3-Clause; notices in this file's head). Each chart's menu exports it as SVG or PNG.</footer>\n");
        out.append("<script>").append(DRAW).append("</script>\n</body>\n</html>\n");
        return out.toString();
    }

    /** The spec as JSON that cannot end its script element. */
    private static String inlineJson(Report.Chart chart) {
        try {
            return COMPACT.writeValueAsString(chart.spec()).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("chart " + chart.id() + " cannot be written as JSON", e);
        }
    }

    /** The three libraries' licence texts. */
    static String notices() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < LIBRARIES.size(); i++) {
            out.append(LIBRARIES.get(i)).append(' ').append(VERSIONS.get(i)).append(", inlined below:\n")
                    .append(asset(LIBRARIES.get(i) + ".LICENSE")).append('\n');
        }
        return out.toString();
    }

    private static String asset(String name) {
        try (InputStream in = ReportWriter.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the report script " + name + " is missing from sedge's core jar;"
                        + " the build fetches it (platform-core/pom.xml, report-scripts)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the report script " + name, e);
        }
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:0 20px 40px;color:#222}
            h1{font-size:22px;margin:22px 0 2px}h2{font-size:16px;margin:26px 0 6px}
            .subtitle{color:#555;margin:0}#report-status{color:#777;font-size:12px;margin:4px 0 0}
            #report-status[data-state=error]{color:#b00}
            .caption{color:#444;max-width:900px;margin:4px 0}.spec{color:#888;font-size:12px;margin:0}
            table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #ddd;padding:3px 10px 3px 0;text-align:left;vertical-align:top}
            td{font-variant-numeric:tabular-nums;word-break:break-word}footer{color:#888;font-size:12px;margin-top:30px}
            """;

    /** Embeds every chart and records the outcome in #report-status (class javadoc). */
    private static final String DRAW = """
            (function () {
              var status = {charts: 0, drawn: 0, marks: {}, errors: []};
              var out = document.getElementById('report-status');
              function show(final) {
                out.setAttribute('data-status', JSON.stringify(status));
                if (final) {
                  out.setAttribute('data-state', status.errors.length ? 'error' : 'done');
                  out.textContent = status.drawn + ' of ' + status.charts + ' charts drawn'
                      + (status.errors.length ? '; errors: ' + status.errors.join(' | ') : '');
                }
              }
              window.addEventListener('error', function (e) { status.errors.push(String(e.message)); show(false); });
              var consoleError = console.error;
              console.error = function () {
                status.errors.push(Array.prototype.map.call(arguments, String).join(' '));
                show(false);
                return consoleError.apply(console, arguments);
              };
              function dataMarks(node) {
                var n = 0;
                (function visit(x) {
                  if (!x) { return; }
                  if (x.marktype && x.role === 'mark') { n += (x.items || []).length; }
                  (x.items || []).forEach(function (item) { if (item && item.items) { visit(item); } });
                })(node);
                return n;
              }
              var scripts = document.querySelectorAll('script[id^="spec-"]');
              status.charts = scripts.length;
              var pending = Array.prototype.map.call(scripts, function (script) {
                var id = script.id.substring(5);
                return vegaEmbed('#chart-' + id, JSON.parse(script.textContent), {renderer: 'svg',
                    actions: {export: true, source: true, compiled: false, editor: false}})
                  .then(function (result) {
                    var marks = dataMarks(result.view.scenegraph().root);
                    status.marks[id] = marks;
                    if (marks > 0) { status.drawn++; } else { status.errors.push(id + ': no data marks drawn'); }
                  })
                  .catch(function (e) { status.errors.push(id + ': ' + e); });
              });
              Promise.all(pending).then(function () { show(true); });
            })();
            """;
}
