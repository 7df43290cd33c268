/** Built-in sedge edge detectors. Exports nothing; provides services. */
module dev.sedge.detectors {
    requires dev.sedge.api;

    provides dev.sedge.api.detect.EdgeDetector with
            dev.sedge.detectors.EigengapSlopeDetector,
            dev.sedge.detectors.G23DeclineDetector,
            dev.sedge.detectors.GapRatioPhasesDetector,
            dev.sedge.detectors.BbpDetector,
            dev.sedge.detectors.GapFlowDetector;
}
