/** Built-in sedge plugins: detectors. Exports nothing; provides services. */
module dev.sedge.detectors {
    requires dev.sedge.api;
}
