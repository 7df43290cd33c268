package dev.sedge.train;

import dev.sedge.api.DataFormatException;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.MetricsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every evaluation and rewrites {@code metrics.csv} atomically ({@link MetricsCsv}) every
 * {@code every} evaluations, at every checkpoint and at the end, so the file is always whole and holds
 * at least the rows up to the last checkpoint. A rewrite costs O(rows); with {@code every} = 10 the
 * default experiment's 401 rows are written 40 times. On resume, keeps the file's rows up to the
 * checkpoint's step. Confined to the training thread.
 */
final class MetricsLog implements TrainingListener {

    private final List<String> columns;
    private final int every;
    private final List<Long> steps = new ArrayList<>();
    private final List<double[]> rows = new ArrayList<>();
    private Path file;
    private int unwritten;

    /**
     * @param columns the value columns, in order (without {@code step})
     * @param every   rewrite the file every this many evaluations, ≥ 1
     */
    MetricsLog(List<String> columns, int every) {
        this.columns = List.copyOf(columns);
        this.every = every;
    }

    @Override
    public void onStart(RunStart start) {
        file = start.layout().metrics();
        if (start.resumed() && Files.exists(file)) {
            MetricsTable old = MetricsCsv.read(file);
            if (!old.columns().equals(columns)) {
                throw new DataFormatException("metrics " + file + " has columns " + old.columns() + "; this run"
                        + " writes " + columns + ". It cannot be resumed by this sedge");
            }
            for (int i = 0; i < old.rows() && old.step(i) <= start.firstStep(); i++) {
                steps.add(old.step(i));
                double[] row = new double[columns.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = old.value(i, columns.get(c));
                }
                rows.add(row);
            }
        }
    }

    @Override
    public void onEvaluation(Evaluation evaluation) {
        double[] row = new double[columns.size()];
        for (int c = 0; c < row.length; c++) {
            row[c] = evaluation.value(columns.get(c));
        }
        steps.add(evaluation.step());
        rows.add(row);
        if (++unwritten >= every) {
            write();
        }
    }

    @Override
    public void onCheckpoint(CheckpointState checkpoint) {
        write();
    }

    @Override
    public void onFinish(RunEnd end) {
        if (file != null) {
            write();
        }
    }

    /** Every evaluation so far, including those restored on resume. */
    MetricsTable table() {
        return new MetricsTable(columns, steps.stream().mapToLong(Long::longValue).toArray(),
                rows.toArray(double[][]::new));
    }

    private void write() {
        MetricsCsv.write(file, table());
        unwritten = 0;
    }
}
