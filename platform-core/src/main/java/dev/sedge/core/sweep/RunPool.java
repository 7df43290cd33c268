package dev.sedge.core.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@link RunExecutor#executeAll} for executors that run one run at a time per thread: a fixed pool of workers. */
final class RunPool {

    private RunPool() {
    }

    static void execute(RunExecutor executor, List<RunExecutor.Job> jobs, RunExecutor.Progress progress)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(executor.parallelism(), runnable -> {
            Thread t = new Thread(runnable, "sweep-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (RunExecutor.Job job : jobs) {
                futures.add(pool.submit(() -> {
                    progress.started(job);
                    Optional<RunFailure> failure;
                    try {
                        failure = executor.execute(job.run(), job.conditionFile(), job.action(), job.log());
                    } catch (RuntimeException e) { // one run's failure, not the sweep's
                        failure = Optional.of(RunFailure.thrown(job.run().id(), job.log(), e));
                    }
                    progress.ended(job, failure);
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            executor.stopAll();
            pool.shutdownNow();
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a sweep worker failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdown();
        }
    }
}
