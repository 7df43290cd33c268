package dev.sedge.testkit;

import static dev.sedge.testkit.PluginContract.require;

import dev.sedge.api.PluginConfig;
import dev.sedge.api.task.Task;
import dev.sedge.api.task.TaskData;
import java.util.Arrays;

/** The checks every {@link Task} passes. Failures are {@link AssertionError}s. */
public final class TaskContract {

    private TaskContract() {
    }

    /**
     * Checks the plugin contract, that the same seed gives the same data bit for bit, that the
     * split is non-empty on both sides, and that the domain matches the data.
     *
     * @param config the configuration to create with (scoped to the task)
     * @return the data made with seed 1
     */
    public static TaskData check(Task task, PluginConfig config) {
        PluginContract.check(task);
        TaskData first = task.create(config, 1L);
        TaskData again = task.create(config, 1L);
        String name = task.name();
        require(Arrays.equals(first.tokens(), again.tokens()), name + ": tokens differ for the same seed");
        require(Arrays.equals(first.train(), again.train()), name + ": train split differs for the same seed");
        require(Arrays.equals(first.test(), again.test()), name + ": test split differs for the same seed");
        boolean sequence = first.targetSpec().isPresent();
        for (int h = 0; h < first.heads().size(); h++) {
            require(sequence ? Arrays.equals(first.targets(h), again.targets(h))
                    : Arrays.equals(first.labels(h), again.labels(h)), name + ": labels differ for the same seed");
        }
        require(first.targetSpec().equals(again.targetSpec()), name + ": the target spec differs for the same seed");
        require(first.train().length > 0, name + ": empty train split");
        require(first.test().length > 0, name + ": empty test split");
        require(first.domain().size() == first.size(), name + ": domain size differs from data size");
        require(!first.domain().coordinates().isEmpty(), name + ": the domain has no coordinates for bases to use");
        return first;
    }
}
