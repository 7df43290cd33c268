package dev.sedge.cli;

import dev.sedge.api.DataFormatException;
import dev.sedge.core.report.Report;
import dev.sedge.core.report.ReportWriter;
import dev.sedge.core.report.RunPage;
import dev.sedge.core.report.SweepPage;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.sweep.SweepRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sedge report RUN|SWEEP}: one self-contained HTML file of a run's or a sweep's results. */
@Command(name = "report",
        header = "One self-contained HTML report of a run or a sweep, charts included; opens offline.",
        description = {"For a run: loss and accuracy with the detectors' events, the spectrum (sigma_j, lambda_j,",
            "gap ratios and k*, g23, rotation and stability), the latest `sedge explain` result and the",
            "provenance. For a sweep (or a `sedge reproduce` folder): every run's test accuracy, per detector",
            "the fire-step distribution, the detection counts and the ROC curve, and the runs. Vega-Lite",
            "draws the charts inside the file (no network); each chart's spec is also saved as",
            "report/<chart>.vl.json beside it. train, explain, sweep and reproduce write the same report",
            "when they finish (--no-report to skip). docs/reports.md."},
        footer = {"", "Examples:", "  sedge report runs/control", "  sedge report runs/control --out control.html"})
final class ReportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "RUN|SWEEP", description = "A run directory or a sweep folder (one with results.json).")
    private Path folder;

    @Option(names = "--out", paramLabel = "FILE",
            description = "The HTML file (default: report.html in the folder); the specs go to report/ beside it.")
    private Path out;

    @Override
    public Integer call() {
        Report report;
        if (SweepPage.isSweep(folder)) {
            report = SweepPage.of(folder, List.of());
        } else if (RunLayout.isRun(folder)) {
            report = RunPage.of(folder);
        } else {
            throw new DataFormatException(folder + " is neither a run directory (no run.json) nor a sweep folder (no "
                    + SweepRunner.RESULTS_JSON + "); give the folder `sedge train`, `sedge import`, `sedge sweep` or `sedge"
                    + " reproduce` wrote" + (Files.isDirectory(folder) ? "" : " (it does not exist)"));
        }
        Path html = out != null ? out : new RunLayout(folder).report();
        ReportWriter.write(report, html);
        spec.commandLine().getOut().println(html.toAbsolutePath().normalize());
        return Main.OK;
    }
}
