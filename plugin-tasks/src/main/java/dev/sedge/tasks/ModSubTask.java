package dev.sedge.tasks;

/** The {@code mod-sub} task; see {@link ModularTask}. */
public final class ModSubTask extends ModularTask {

    public ModSubTask() {
        super(ModularOperation.SUB);
    }
}
