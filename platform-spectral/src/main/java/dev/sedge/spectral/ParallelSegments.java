package dev.sedge.spectral;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Splits {@code [0, segments)} into at most {@code threads} contiguous ranges and runs them on the
 * common fork-join pool, the calling thread taking the first range. Which thread computes a segment
 * never changes a result: callers keep one output per segment and combine them in order.
 */
final class ParallelSegments {

    /** Work on segments {@code [first, last)}. */
    @FunctionalInterface
    interface Range {
        void run(int first, int last);
    }

    private ParallelSegments() {
    }

    /**
     * Runs {@code body} over {@code [0, segments)}; returns when every range is done. An exception
     * thrown by any range is rethrown here.
     *
     * @param segments how many segments, ≥ 1
     * @param threads  the most ranges to run at once, ≥ 1
     */
    static void run(int segments, int threads, Range body) {
        int parts = Math.min(segments, threads);
        if (parts <= 1) {
            body.run(0, segments);
            return;
        }
        List<RecursiveAction> tasks = new ArrayList<>(parts);
        for (int t = 0; t < parts; t++) {
            int first = (int) ((long) segments * t / parts);
            int last = (int) ((long) segments * (t + 1) / parts);
            tasks.add(new RecursiveAction() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void compute() {
                    body.run(first, last);
                }
            });
        }
        ForkJoinTask.invokeAll(tasks);
    }
}
