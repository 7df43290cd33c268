/**
 * The spectral engine (docs/science.md, "The rolling-window Gram matrix"): a streaming rolling window over the
 * updates of one parameter group, its W × W Gram matrix updated in O(W·p) per update, and everything measured
 * from it.
 *
 * <ul>
 *   <li>{@link dev.sedge.spectral.SpectralEngine} takes updates ({@link
 *       dev.sedge.spectral.SnapshotDifferencer} makes them from snapshots) and emits a
 *       {@link dev.sedge.spectral.WindowSpectrum} per window; edge directions on demand.</li>
 *   <li>{@link dev.sedge.spectral.SnapshotSpectralEngine} is the offline form: it takes
 *       snapshots in {@link dev.sedge.spectral.SnapshotBatch}es, differences them inside one
 *       Gram pass per batch, and emits the same windows, bit for bit.</li>
 *   <li>{@link dev.sedge.spectral.StreamingSpectralEngine} is the offline form for groups too large to hold:
 *       the snapshots stay in their files and each pass reads them a segment at a time; the same windows
 *       again.</li>
 *   <li>{@link dev.sedge.spectral.SpectralOptions}: window, stride, centering, threads, and an
 *       optional {@link dev.sedge.spectral.Sketch} of the updates, chosen by
 *       {@link dev.sedge.spectral.SketchTransform}: the fast {@link dev.sedge.spectral.SrhtSketch}
 *       (subsampled randomized Hadamard, the default) or the Gaussian
 *       {@link dev.sedge.spectral.JlSketch}.</li>
 *   <li>{@link dev.sedge.spectral.SpectrumCsv} reads and writes {@code spectrum.csv};
 *       {@link dev.sedge.spectral.WindowSpectrum#toSpectralWindow} feeds detectors.</li>
 *   <li>{@link dev.sedge.spectral.EdgeStatistics}: the pure definitions (ratios, k*, g23, BBP).</li>
 * </ul>
 *
 * <p>Every value says whether it is in the σ convention (singular values of the W × p window X)
 * or the λ convention (eigenvalues of G = X Xᵀ, λ = σ²). No method accepts or returns
 * {@code null}. The kernels use the Vector API ({@code jdk.incubator.vector}), which the module
 * requires: the runtime image must contain that module.
 */
package dev.sedge.spectral;
