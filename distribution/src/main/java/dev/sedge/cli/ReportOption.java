package dev.sedge.cli;

import dev.sedge.api.DataFormatException;
import dev.sedge.core.report.Report;
import dev.sedge.core.report.ReportWriter;
import dev.sedge.core.report.RunPage;
import dev.sedge.core.report.SweepPage;
import dev.sedge.core.run.RunLayout;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --no-report}, and the report that {@code train}, {@code explain}, {@code sweep} and {@code reproduce}
 * write or refresh when they finish: {@code report.html} in the run or sweep folder (docs/reports.md).
 */
final class ReportOption {

    @Option(names = "--no-report", description = "Write no report.html (docs/reports.md); `sedge report` writes it later.")
    private boolean skip;

    /**
     * Writes the report of the run or sweep in {@code folder}, with {@code head} first (a reproduction's table),
     * unless {@code --no-report}. A report that cannot be written is a warning: the work it reports is done.
     */
    void refresh(Path folder, PrintWriter err, List<Report.Section> head) {
        if (skip) {
            return;
        }
        Path html = new RunLayout(folder).report();
        try {
            ReportWriter.write(SweepPage.isSweep(folder) ? SweepPage.of(folder, head) : RunPage.of(folder), html);
            err.println("sedge: report " + html.toAbsolutePath().normalize());
        } catch (UncheckedIOException | DataFormatException e) {
            err.println("sedge: warning: the report could not be written (" + e.getMessage() + "); the results are"
                    + " complete, and `sedge report " + folder + "` tries again");
        }
    }
}
