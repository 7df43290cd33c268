package dev.sedge.tasks;

/** The {@code mod-a3ab} task; see {@link ModularTask}. */
public final class ModA3abTask extends ModularTask {

    public ModA3abTask() {
        super(ModularOperation.A3AB);
    }
}
