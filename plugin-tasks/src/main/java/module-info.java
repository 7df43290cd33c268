/** Built-in sedge tasks: modular arithmetic over Z_p, Dyck-1 depth and SCAN. Exports nothing; provides services. */
module dev.sedge.tasks {
    requires dev.sedge.api;

    provides dev.sedge.api.task.Task with
            dev.sedge.tasks.ModAddTask,
            dev.sedge.tasks.ModSubTask,
            dev.sedge.tasks.ModMulTask,
            dev.sedge.tasks.ModDivTask,
            dev.sedge.tasks.ModX2y2Task,
            dev.sedge.tasks.ModA2abb2Task,
            dev.sedge.tasks.ModA3abTask,
            dev.sedge.tasks.MultitaskTask,
            dev.sedge.tasks.Dyck1DepthTask,
            dev.sedge.tasks.ScanTask;
}
