/**
 * An example third-party sedge plugin. It requires only the API, exports nothing, and provides
 * one task and one detector. The same providers are listed in META-INF/services, so the jar also
 * works when loaded as a plain jar.
 */
module org.example.cubes {
    requires dev.sedge.api;

    provides dev.sedge.api.task.Task with org.example.cubes.CubesTask;
    provides dev.sedge.api.detect.EdgeDetector with org.example.cubes.GapThresholdDetector;
}
